namespace Quotes.Client;

/// <summary>What the keep-alive loop does next.</summary>
internal enum KeepAliveAction { Wait, SendPing, Reconnect }

/// <summary>The keep-alive loop's next step, and how long to wait before asking again.</summary>
internal readonly record struct KeepAliveStep(KeepAliveAction Action, TimeSpan Wait);

/// <summary>
/// Application-level keep-alive for one connection: after <c>interval</c> without any message the client sends
/// <c>{"type":"ping"}</c>; nothing at all within <c>timeout</c> after that and the connection is replaced. Any message
/// counts as life (a quote too), so a busy link is never pinged. Times are <see cref="TimeProvider"/> timestamps in
/// ticks of <see cref="TimeSpan"/>; the class only decides, the connection loop acts.
/// </summary>
internal sealed class KeepAlive(TimeSpan interval, TimeSpan timeout, TimeSpan now)
{
    private readonly Lock _gate = new();
    private TimeSpan _lastHeard = now;
    private TimeSpan? _pingSent;

    /// <summary>A message arrived.</summary>
    public void Heard(TimeSpan at)
    {
        lock (_gate)
        {
            _lastHeard = at;
            _pingSent = null;
        }
    }

    public KeepAliveStep Next(TimeSpan at)
    {
        lock (_gate)
        {
            if (_pingSent is { } sent)
            {
                var waited = at - sent;
                return waited >= timeout ? new(KeepAliveAction.Reconnect, TimeSpan.Zero) : new(KeepAliveAction.Wait, timeout - waited);
            }
            var silence = at - _lastHeard;
            if (silence < interval) return new(KeepAliveAction.Wait, interval - silence);
            _pingSent = at;
            return new(KeepAliveAction.SendPing, timeout);
        }
    }
}
