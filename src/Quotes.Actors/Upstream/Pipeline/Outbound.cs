namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// An action for the upstream socket (subscribe, unsubscribe), tagged with the <see cref="Link"/> it was made for: one that
/// its link did not send before it closed is dropped, never sent on the next (which is subscribed afresh after its
/// <c>auth_success</c>).
/// </summary>
public readonly record struct Outbound(int Link, string Text);
