namespace Quotes.Actors.Upstream;

/// <summary>
/// Which symbols the upstream should carry and which it does carry. Pure bookkeeping for the upstream actor:
/// wants are leases; a symbol whose lease lapsed or that was released stays subscribed for a linger, then goes.
/// <para>
/// Renewals are the bulk of the traffic (every held symbol every few seconds), so a want costs O(1) and says whether it
/// changed anything: only a symbol not yet subscribed is <see cref="Pending"/>, and only then must the owner flush.
/// Expiry is found by the owner's periodic sweep (<see cref="ToUnsubscribe"/>), never by a renewal.
/// </para>
/// </summary>
public sealed class SubscriptionSet(TimeSpan lease, TimeSpan linger)
{
    private readonly Dictionary<string, DateTime> _wantedUntil = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Subscribed => _subscribed;
    public IEnumerable<string> Wanted(DateTime now) => _wantedUntil.Where(w => w.Value > now).Select(w => w.Key);

    /// <summary>Wanted but not yet subscribed on the current connection.</summary>
    public int Pending => _pending.Count;

    /// <summary>Symbols the upstream carries or holds for a linger: what <c>Polygon:MaxSymbols</c> caps.</summary>
    public int Carried => _wantedUntil.Count + _subscribed.Count(s => !_wantedUntil.ContainsKey(s));

    /// <summary>True while some entity's lease on the symbol runs: a client streams it.</summary>
    public bool IsWanted(string symbol, DateTime now) => _wantedUntil.TryGetValue(symbol, out var until) && until > now;

    /// <summary>
    /// Wants every symbol if the set would then carry at most <paramref name="max"/>, else none: admission is all or nothing.
    /// <paramref name="flush"/>: some symbol must still be subscribed.
    /// </summary>
    public bool TryAdmit(IReadOnlyCollection<string> symbols, int max, DateTime now, out bool flush)
    {
        flush = false;
        var fresh = symbols.Where(s => !_wantedUntil.ContainsKey(s) && !_subscribed.Contains(s)).Distinct(StringComparer.Ordinal).Count();
        if (fresh > 0 && Carried + fresh > max) return false;
        foreach (var symbol in symbols) flush |= Want(symbol, now);
        return true;
    }

    /// <summary>Takes or renews a lease; true when the symbol must still be subscribed (the owner should flush).</summary>
    public bool Want(string symbol, DateTime now)
    {
        _wantedUntil[symbol] = now + lease;
        return !_subscribed.Contains(symbol) && _pending.Add(symbol);
    }

    /// <summary>Released now: the symbol stays for <c>linger</c>, unless wanted again.</summary>
    public void Release(string symbol, DateTime now)
    {
        if (_wantedUntil.ContainsKey(symbol)) _wantedUntil[symbol] = now;
    }

    /// <summary>Symbols wanted but not yet subscribed on the current connection. O(pending).</summary>
    public IReadOnlyList<string> ToSubscribe(DateTime now) =>
        _pending.Where(s => _wantedUntil.TryGetValue(s, out var until) && until > now).Order(StringComparer.Ordinal).ToList();

    /// <summary>Symbols subscribed whose want ended more than the linger ago; also forgets them. A full scan: for the sweep.</summary>
    public IReadOnlyList<string> ToUnsubscribe(DateTime now)
    {
        var expired = _wantedUntil.Where(w => w.Value + linger <= now).Select(w => w.Key).ToList();
        foreach (var symbol in expired)
        {
            _wantedUntil.Remove(symbol);
            _pending.Remove(symbol);
        }
        var gone = _subscribed.Where(s => !_wantedUntil.ContainsKey(s)).Order(StringComparer.Ordinal).ToList();
        return gone;
    }

    public void MarkSubscribed(IEnumerable<string> symbols)
    {
        foreach (var symbol in symbols)
        {
            _subscribed.Add(symbol);
            _pending.Remove(symbol);
        }
    }

    public void MarkUnsubscribed(IEnumerable<string> symbols) => _subscribed.ExceptWith(symbols);

    /// <summary>A new connection carries nothing until it subscribes again: every wanted symbol is pending.</summary>
    public void ConnectionLost()
    {
        _subscribed.Clear();
        _pending.Clear();
        _pending.UnionWith(_wantedUntil.Keys);
    }
}
