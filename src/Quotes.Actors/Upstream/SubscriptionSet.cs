namespace Quotes.Actors.Upstream;

/// <summary>
/// Which symbols the upstream should carry and which it does carry. Pure bookkeeping for the upstream actor:
/// wants are leases; a symbol whose lease lapsed or that was released stays subscribed for a linger, then goes.
/// <para>
/// Renewals are the bulk of the traffic (every held symbol every few seconds), so a want costs O(1) and says whether it
/// changed anything: only a symbol not yet subscribed is <see cref="Pending"/>, and only then must the owner flush.
/// Expiry is found by the owner's periodic sweep (<see cref="ToUnsubscribe"/>), never by a renewal.
/// </para>
/// <para>
/// The set never carries more than <paramref name="max"/> symbols (<c>Polygon:MaxSymbols</c>), whatever path a want
/// comes by: a want for a symbol it does not carry is refused (<see cref="WantOutcome.OverCap"/>) while it is full.
/// </para>
/// </summary>
public sealed class SubscriptionSet(TimeSpan lease, TimeSpan linger, int max)
{
    /// <summary>What a want did.</summary>
    public enum WantOutcome
    {
        /// <summary>Renewed a symbol already subscribed or pending: nothing to flush.</summary>
        Renewed,
        /// <summary>The symbol is pending now: the owner should flush.</summary>
        Pending,
        /// <summary>Refused: the set carries <c>max</c> symbols and this one is not among them.</summary>
        OverCap,
    }

    private readonly Dictionary<string, DateTime> _wantedUntil = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Subscribed => _subscribed;
    public IEnumerable<string> Wanted(DateTime now) => _wantedUntil.Where(w => w.Value > now).Select(w => w.Key);

    /// <summary>Wanted but not yet subscribed on the current connection.</summary>
    public int Pending => _pending.Count;

    /// <summary>Symbols the upstream carries or holds for a linger: what <c>Polygon:MaxSymbols</c> caps.</summary>
    public int Carried => _wantedUntil.Count + _subscribed.Count(s => !_wantedUntil.ContainsKey(s));

    /// <summary>The most symbols the set carries.</summary>
    public int Max => max;

    /// <summary>True while some entity's lease on the symbol runs: a client streams it.</summary>
    public bool IsWanted(string symbol, DateTime now) => _wantedUntil.TryGetValue(symbol, out var until) && until > now;

    /// <summary>
    /// Wants every symbol if the set would then carry at most <c>max</c>, else none: admission is all or nothing.
    /// <paramref name="flush"/>: some symbol must still be subscribed.
    /// </summary>
    public bool TryAdmit(IReadOnlyCollection<string> symbols, DateTime now, out bool flush)
    {
        flush = false;
        var fresh = symbols.Where(s => !Carries(s)).Distinct(StringComparer.Ordinal).Count();
        if (fresh > 0 && Carried + fresh > max) return false;
        foreach (var symbol in symbols) flush |= Want(symbol, now) == WantOutcome.Pending;
        return true;
    }

    /// <summary>Takes or renews a lease, unless the symbol is new and the set is full. O(1) unless the set is near full.</summary>
    public WantOutcome Want(string symbol, DateTime now)
    {
        if (!Carries(symbol) && IsFull) return WantOutcome.OverCap;
        _wantedUntil[symbol] = now + lease;
        return !_subscribed.Contains(symbol) && _pending.Add(symbol) ? WantOutcome.Pending : WantOutcome.Renewed;
    }

    /// <summary>Wanted (maybe lapsed, lingering) or subscribed: counted in <see cref="Carried"/> already.</summary>
    public bool Carries(string symbol) => _wantedUntil.ContainsKey(symbol) || _subscribed.Contains(symbol);

    /// <summary>The cheap bound first: <see cref="Carried"/> is at most the wanted plus the subscribed.</summary>
    private bool IsFull => _wantedUntil.Count + _subscribed.Count >= max && Carried >= max;

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
