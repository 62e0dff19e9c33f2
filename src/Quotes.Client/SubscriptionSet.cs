namespace Quotes.Client;

/// <summary>
/// The symbols the server confirmed holding for this client: added on <c>subscribed</c>, removed on <c>unsubscribed</c>,
/// whoever asked. It mirrors the server, so a reply that comes after its request timed out still counts, and it is what a
/// new connection subscribes to again.
/// </summary>
internal sealed class SubscriptionSet
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _held = new(StringComparer.Ordinal);

    public void Confirmed(IEnumerable<string> symbols)
    {
        lock (_gate) _held.UnionWith(symbols);
    }

    public void Released(IEnumerable<string> symbols)
    {
        lock (_gate) _held.ExceptWith(symbols);
    }

    /// <summary>The held symbols, in order: what to subscribe to again on a new connection.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate) return [.. _held];
    }
}
