namespace Quotes.Actors.Upstream;

/// <summary>
/// Which symbols the upstream should carry and which it does carry. Pure bookkeeping for the upstream actor:
/// wants are leases; a symbol whose lease lapsed or that was released stays subscribed for a linger, then goes.
/// </summary>
public sealed class SubscriptionSet(TimeSpan lease, TimeSpan linger)
{
    private readonly Dictionary<string, DateTime> _wantedUntil = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Subscribed => _subscribed;
    public IEnumerable<string> Wanted(DateTime now) => _wantedUntil.Where(w => w.Value > now).Select(w => w.Key);

    public void Want(string symbol, DateTime now) => _wantedUntil[symbol] = now + lease;

    /// <summary>Released now: the symbol stays for <c>linger</c>, unless wanted again.</summary>
    public void Release(string symbol, DateTime now)
    {
        if (_wantedUntil.ContainsKey(symbol)) _wantedUntil[symbol] = now;
    }

    /// <summary>Symbols wanted but not yet subscribed on the current connection.</summary>
    public IReadOnlyList<string> ToSubscribe(DateTime now) => Wanted(now).Where(s => !_subscribed.Contains(s)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Symbols subscribed whose want ended more than the linger ago; also forgets them.</summary>
    public IReadOnlyList<string> ToUnsubscribe(DateTime now)
    {
        var expired = _wantedUntil.Where(w => w.Value + linger <= now).Select(w => w.Key).ToList();
        foreach (var symbol in expired) _wantedUntil.Remove(symbol);
        var gone = _subscribed.Where(s => !_wantedUntil.ContainsKey(s)).Order(StringComparer.Ordinal).ToList();
        return gone;
    }

    public void MarkSubscribed(IEnumerable<string> symbols) => _subscribed.UnionWith(symbols);
    public void MarkUnsubscribed(IEnumerable<string> symbols) => _subscribed.ExceptWith(symbols);

    /// <summary>A new connection carries nothing until it subscribes again.</summary>
    public void ConnectionLost() => _subscribed.Clear();
}
