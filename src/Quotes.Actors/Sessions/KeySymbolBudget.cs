namespace Quotes.Actors.Sessions;

/// <summary>
/// The symbols each client key holds across the cluster: at most <c>maxHeld</c> distinct symbols at once
/// (<c>Limits:MaxSymbolsPerKey</c>; a symbol the key holds on two nodes counts once), and at most <c>newPerMinute</c> symbols
/// it held nowhere taken on per minute (<c>Limits:NewSymbolsPerKeyPerMinute</c>, one token bucket over every node's takes),
/// so that subscribe/unsubscribe churn cannot walk the upstream through thousands of symbols. A symbol two nodes took on
/// for the key in the same moment (before either saw the other hold it) is charged once: to the node ranked first of those
/// that hold it (<see cref="SetRemote"/>'s <c>Ahead</c>), the others drop it from what they publish. This node's own holdings are
/// kept here; what the key holds and took on elsewhere comes from the other nodes (<see cref="SetRemote"/>, fed by
/// <see cref="KeyBudgetReplicator"/>), so an admission is answered at once from this node's view. Pure, thread-safe,
/// clock-injected. Keys are known by id (their hash), never in the clear. A key that holds nothing anywhere and took nothing
/// on in the last minute is forgotten by <see cref="Prune"/>: with bearer tokens every user is a key of its own.
/// </summary>
public sealed class KeySymbolBudget(int maxHeld, int newPerMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Symbols this node took on for a key at <see cref="At"/>: new for the key as far as this node knew then.</summary>
    private sealed record LocalTake(DateTime At, string[] Symbols);

    private sealed class Account
    {
        public readonly Dictionary<string, int> Holders = new(StringComparer.Ordinal);
        public readonly List<LocalTake> Takes = [];
        public HashSet<string> RemoteHeld = new(StringComparer.Ordinal);
        /// <summary>Held by a node ranked before this one: a take of ours that it also holds is charged to it, not to us.</summary>
        public HashSet<string> RemoteHeldAhead = new(StringComparer.Ordinal);
        public List<KeyHoldings.Take> RemoteTakes = [];

        public int HeldInCluster => RemoteHeld.Count + Holders.Keys.Count(s => !RemoteHeld.Contains(s));

        /// <summary>Holds nothing on any node and took nothing on in the last minute: nothing to remember.</summary>
        public bool IsIdle(DateTime now) =>
            Holders.Count == 0 && RemoteHeld.Count == 0
            && Takes.All(t => now - t.At >= Window) && RemoteTakes.All(t => now - t.At >= Window);

        /// <summary>This node's takes as charged to it: each without the symbols a node ahead of it holds too.</summary>
        public IEnumerable<KeyHoldings.Take> Charged(DateTime now) =>
            Takes.Where(t => now - t.At < Window)
                .Select(t => new KeyHoldings.Take(t.At, t.Symbols.Count(s => !RemoteHeldAhead.Contains(s))))
                .Where(t => t.Count > 0);
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
        var freshSymbols = distinct.Where(s => !account.Holders.ContainsKey(s) && !account.RemoteHeld.Contains(s)).ToArray();
        var fresh = freshSymbols.Length;
        var held = account.HeldInCluster;
        if (held + fresh > maxHeld)
            return $"this key may hold at most {maxHeld} distinct symbols at once across the cluster (Limits:MaxSymbolsPerKey); it holds {held} and this request adds {fresh}";
        var debt = Debt(account, now);
        if (fresh > 0 && debt + fresh > newPerMinute + 1e-9)
        {
            var wait = Math.Ceiling((debt + fresh - newPerMinute) / newPerMinute * 60);
            return $"this key may take on at most {newPerMinute} new symbols a minute across the cluster (Limits:NewSymbolsPerKeyPerMinute); this request adds {fresh}; retry in {wait} s";
        }

        if (fresh > 0) account.Takes.Add(new LocalTake(now, freshSymbols));
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
        foreach (var take in account.Charged(now).Concat(account.RemoteTakes).Where(t => now - t.At < Window).OrderBy(t => t.At))
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
            return new KeyHoldings(account.Holders.Keys.ToList(), KeyHoldings.PerSecond(account.Charged(now)));
        }
    }

    /// <summary>
    /// What the key holds and took on on every other node, replacing what was known before; <c>Ahead</c> marks the nodes ranked
    /// before this one (any order all nodes agree on), which are charged for a symbol they took on in the same moment as this one.
    /// </summary>
    public void SetRemote(string keyId, IEnumerable<(KeyHoldings Holdings, bool Ahead)> others)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        var ahead = new HashSet<string>(StringComparer.Ordinal);
        var takes = new List<KeyHoldings.Take>();
        foreach (var (other, isAhead) in others)
        {
            held.UnionWith(other.Symbols);
            if (isAhead) ahead.UnionWith(other.Symbols);
            takes.AddRange(other.Takes);
        }
        lock (_lock)
        {
            if (held.Count == 0 && takes.Count == 0 && !_accounts.ContainsKey(keyId)) return; // nothing to learn of a key not in use here
            var account = AccountOf(keyId);
            account.RemoteHeld = held;
            account.RemoteHeldAhead = ahead;
            account.RemoteTakes = takes;
        }
    }

    /// <summary>
    /// Forgets what every key holds on the other nodes, until <see cref="SetRemote"/> says it again: for a replicator that
    /// starts over and reads every replica afresh, whose earlier view may hold entries removed meanwhile.
    /// </summary>
    public void ForgetRemote()
    {
        lock (_lock)
            foreach (var account in _accounts.Values)
                (account.RemoteHeld, account.RemoteHeldAhead, account.RemoteTakes) = (new(StringComparer.Ordinal), new(StringComparer.Ordinal), []);
    }

    /// <summary>The keys this node holds symbols for or took symbols on for: what it has to tell the other nodes.</summary>
    public IReadOnlyList<string> LocalKeys()
    {
        lock (_lock) return _accounts.Where(a => a.Value.Holders.Count > 0 || a.Value.Takes.Count > 0).Select(a => a.Key).ToList();
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

    /// <summary>Forgets every key that holds nothing on any node and took nothing on in the last minute; returns how many.</summary>
    public int Prune(DateTime now)
    {
        lock (_lock)
        {
            var idle = _accounts.Where(a => a.Value.IsIdle(now)).Select(a => a.Key).ToList();
            foreach (var keyId in idle) _accounts.Remove(keyId);
            return idle.Count;
        }
    }

    /// <summary>Keys this node remembers: those in use here or elsewhere, and those that took symbols on in the last minute.</summary>
    public int KeysKnown
    {
        get { lock (_lock) return _accounts.Count; }
    }

    private Account AccountOf(string keyId)
    {
        if (!_accounts.TryGetValue(keyId, out var account)) _accounts[keyId] = account = new Account();
        return account;
    }
}
