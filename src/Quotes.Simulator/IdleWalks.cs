namespace Quotes.Simulator;

/// <summary>
/// Which walks the market may stop listing (keeping the walk only while its day lasts, <see cref="ParkedWalks"/>): those of
/// symbols outside the reference universe that no connection has held for <paramref name="idleFor"/>. A symbol's idle time starts at the first sweep that finds nobody holding it, and again
/// after each subscription to it (<see cref="Held"/>), so one held only between two sweeps is never dropped early. A
/// sweep dated before the last one (the clock went back) changes nothing. Not thread-safe: the market calls it under one
/// lock.
/// </summary>
internal sealed class IdleWalks(TimeSpan idleFor)
{
    /// <summary>When each walked symbol nobody holds was first found so, in Unix ms.</summary>
    private Dictionary<string, long> _idleSince = new(StringComparer.Ordinal);
    private long _lastSweep = long.MinValue;

    /// <summary>A connection subscribed to <paramref name="symbol"/>: its idle time starts again once nobody holds it.</summary>
    public void Held(string symbol) => _idleSince.Remove(symbol);

    /// <summary>The symbols of <paramref name="walked"/> to drop at <paramref name="nowMs"/>, given the symbols connections hold.</summary>
    public List<string> Sweep(IEnumerable<string> walked, IReadOnlySet<string> held, long nowMs)
    {
        var drop = new List<string>();
        if (nowMs < _lastSweep) return drop;
        _lastSweep = nowMs;
        var idle = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var symbol in walked)
        {
            if (held.Contains(symbol) || ReferenceTickers.TryGet(symbol, out _)) continue;
            var since = _idleSince.GetValueOrDefault(symbol, nowMs);
            if (nowMs - since >= idleFor.TotalMilliseconds) drop.Add(symbol);
            else idle[symbol] = since;
        }
        _idleSince = idle;
        return drop;
    }
}
