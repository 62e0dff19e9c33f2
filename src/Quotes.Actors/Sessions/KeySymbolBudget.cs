namespace Quotes.Actors.Sessions;

/// <summary>
/// The symbols each client key holds across the cluster: at most <c>maxHeld</c> distinct symbols at once
/// (<c>Limits:MaxSymbolsPerKey</c>; a symbol the key holds on two nodes counts once), and at most <c>newPerMinute</c> symbols
/// it held nowhere taken on per minute (<c>Limits:NewSymbolsPerKeyPerMinute</c>, one token bucket over every node's takes),
/// so that subscribe/unsubscribe churn cannot walk the upstream through thousands of symbols. This node's own holdings are
/// kept here; what the key holds and took on elsewhere comes from the other nodes (<see cref="SetRemote"/>, fed by
/// <see cref="KeyBudgetReplicator"/>), so an admission is answered at once from this node's view. Pure, thread-safe,
/// clock-injected. Keys are known by id (their hash), never in the clear; only valid keys reach it, so the set of keys is
/// bounded by configuration.
/// </summary>
public sealed class KeySymbolBudget(int maxHeld, int newPerMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private sealed class Account
    {
        public readonly Dictionary<string, int> Holders = new(StringComparer.Ordinal);
        public readonly List<KeyHoldings.Take> Takes = [];
        public HashSet<string> RemoteHeld = new(StringComparer.Ordinal);
        public List<KeyHoldings.Take> RemoteTakes = [];

        public int HeldInCluster => RemoteHeld.Count + Holders.Keys.Count(s => !RemoteHeld.Contains(s));
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    public int MaxHeld => maxHeld;

    /// <summary>Raised (outside the lock) with the key's id whenever what this node holds for it changed.</summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Holds <paramref name="symbols"/> for one more connection of the key, or none of them: null when held, else the refusal
    /// (which limit, and where it stands) for the <c>CAPACITY</c> error.
    /// </summary>
    public string? TryHold(string keyId, IReadOnlyCollection<string> symbols, DateTime now)
    {
        string? refusal;
        bool grew;
        lock (_lock) refusal = Hold(AccountOf(keyId), symbols, now, out grew);
        if (grew) Changed?.Invoke(keyId); // another connection taking symbols the node already holds changes nothing to tell
        return refusal;
    }

    private string? Hold(Account account, IReadOnlyCollection<string> symbols, DateTime now, out bool grew)
    {
        grew = false;
        account.Takes.RemoveAll(t => now - t.At >= Window);
        var distinct = symbols.Distinct(StringComparer.Ordinal).ToList();
        var fresh = distinct.Count(s => !account.Holders.ContainsKey(s) && !account.RemoteHeld.Contains(s));
        var held = account.HeldInCluster;
        if (held + fresh > maxHeld)
            return $"this key may hold at most {maxHeld} distinct symbols at once across the cluster (Limits:MaxSymbolsPerKey); it holds {held} and this request adds {fresh}";
        var debt = Debt(account, now);
        if (fresh > 0 && debt + fresh > newPerMinute + 1e-9)
        {
            var wait = Math.Ceiling((debt + fresh - newPerMinute) / newPerMinute * 60);
            return $"this key may take on at most {newPerMinute} new symbols a minute across the cluster (Limits:NewSymbolsPerKeyPerMinute); this request adds {fresh}; retry in {wait} s";
        }

        if (fresh > 0) account.Takes.Add(new KeyHoldings.Take(now, fresh));
        grew = distinct.Any(s => !account.Holders.ContainsKey(s));
        foreach (var symbol in distinct)
            account.Holders[symbol] = account.Holders.GetValueOrDefault(symbol) + 1;
        return null;
    }

    /// <summary>
    /// The bucket's debt now: every node's takes of the last minute replayed in time order, each adding its count, the debt
    /// draining at <c>newPerMinute</c> a minute meanwhile (a token bucket of <c>newPerMinute</c> tokens, its tokens being
    /// <c>newPerMinute</c> minus the debt).
    /// </summary>
    private double Debt(Account account, DateTime now)
    {
        var debt = 0.0;
        DateTime? last = null;
        foreach (var take in account.Takes.Concat(account.RemoteTakes).Where(t => now - t.At < Window).OrderBy(t => t.At))
        {
            if (last is { } previous) debt = Math.Max(0, debt - Drained(take.At - previous));
            debt += take.Count;
            last = take.At;
        }
        return last is { } end ? Math.Max(0, debt - Drained(now - end)) : 0;
    }

    private double Drained(TimeSpan elapsed) => elapsed.TotalSeconds * newPerMinute / 60.0;

    /// <summary>One connection of the key let these symbols go (each must have been held by it).</summary>
    public void Release(string keyId, IEnumerable<string> symbols)
    {
        var released = false;
        lock (_lock)
        {
            if (!_accounts.TryGetValue(keyId, out var account)) return;
            foreach (var symbol in symbols.Distinct(StringComparer.Ordinal))
            {
                if (!account.Holders.TryGetValue(symbol, out var n)) continue;
                if (n <= 1) account.Holders.Remove(symbol);
                else account.Holders[symbol] = n - 1;
                released |= n <= 1;
            }
        }
        if (released) Changed?.Invoke(keyId);
    }

    /// <summary>What this node holds for the key and took on in the last minute: what it tells the other nodes.</summary>
    public KeyHoldings Local(string keyId, DateTime now)
    {
        lock (_lock)
        {
            if (!_accounts.TryGetValue(keyId, out var account)) return KeyHoldings.None;
            return new KeyHoldings(account.Holders.Keys.ToList(), KeyHoldings.PerSecond(account.Takes.Where(t => now - t.At < Window)));
        }
    }

    /// <summary>What the key holds and took on on every other node, replacing what was known before.</summary>
    public void SetRemote(string keyId, IEnumerable<KeyHoldings> others)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        var takes = new List<KeyHoldings.Take>();
        foreach (var other in others)
        {
            held.UnionWith(other.Symbols);
            takes.AddRange(other.Takes);
        }
        lock (_lock)
        {
            var account = AccountOf(keyId);
            account.RemoteHeld = held;
            account.RemoteTakes = takes;
        }
    }

    /// <summary>Distinct symbols the key holds on this node.</summary>
    public int Held(string keyId)
    {
        lock (_lock) return _accounts.TryGetValue(keyId, out var account) ? account.Holders.Count : 0;
    }

    /// <summary>Distinct symbols the key holds on any node, as this node knows it.</summary>
    public int HeldInCluster(string keyId)
    {
        lock (_lock) return _accounts.TryGetValue(keyId, out var account) ? account.HeldInCluster : 0;
    }

    private Account AccountOf(string keyId)
    {
        if (!_accounts.TryGetValue(keyId, out var account)) _accounts[keyId] = account = new Account();
        return account;
    }
}
