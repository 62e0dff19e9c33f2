namespace Quotes.Actors.Sessions;

/// <summary>
/// The symbols each client key holds on this node, across all its connections: at most <c>maxHeld</c> distinct symbols at
/// once (<c>Limits:MaxSymbolsPerKey</c>), and at most <c>newPerMinute</c> symbols it did not hold taken on per minute
/// (<c>Limits:NewSymbolsPerKeyPerMinute</c>, a token bucket), so that subscribe/unsubscribe churn cannot walk the upstream
/// through thousands of symbols. Pure, thread-safe, clock-injected. Keys are known by id (their hash), never in the clear;
/// only valid keys reach it, so the set of keys is bounded by configuration.
/// </summary>
public sealed class KeySymbolBudget(int maxHeld, int newPerMinute)
{
    private sealed class Account
    {
        public readonly Dictionary<string, int> Holders = new(StringComparer.Ordinal);
        public double Tokens;
        public DateTime Refilled;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    public int MaxHeld => maxHeld;

    /// <summary>
    /// Holds <paramref name="symbols"/> for one more connection of the key, or none of them: null when held, else the refusal
    /// (which limit, and where it stands) for the <c>CAPACITY</c> error.
    /// </summary>
    public string? TryHold(string keyId, IReadOnlyCollection<string> symbols, DateTime now)
    {
        lock (_lock)
        {
            if (!_accounts.TryGetValue(keyId, out var account))
                _accounts[keyId] = account = new Account { Tokens = newPerMinute, Refilled = now };
            account.Tokens = Math.Min(newPerMinute, account.Tokens + (now - account.Refilled).TotalMinutes * newPerMinute);
            account.Refilled = now;

            var fresh = symbols.Distinct(StringComparer.Ordinal).Count(s => !account.Holders.ContainsKey(s));
            if (account.Holders.Count + fresh > maxHeld)
                return $"this key may hold at most {maxHeld} distinct symbols at once (Limits:MaxSymbolsPerKey); it holds {account.Holders.Count} and this request adds {fresh}";
            if (fresh > account.Tokens)
            {
                var wait = Math.Ceiling((fresh - account.Tokens) / newPerMinute * 60);
                return $"this key may take on at most {newPerMinute} new symbols a minute (Limits:NewSymbolsPerKeyPerMinute); this request adds {fresh}; retry in {wait} s";
            }

            account.Tokens -= fresh;
            foreach (var symbol in symbols.Distinct(StringComparer.Ordinal))
                account.Holders[symbol] = account.Holders.GetValueOrDefault(symbol) + 1;
            return null;
        }
    }

    /// <summary>One connection of the key let these symbols go (each must have been held by it).</summary>
    public void Release(string keyId, IEnumerable<string> symbols)
    {
        lock (_lock)
        {
            if (!_accounts.TryGetValue(keyId, out var account)) return;
            foreach (var symbol in symbols.Distinct(StringComparer.Ordinal))
            {
                if (!account.Holders.TryGetValue(symbol, out var n)) continue;
                if (n <= 1) account.Holders.Remove(symbol);
                else account.Holders[symbol] = n - 1;
            }
        }
    }

    /// <summary>Distinct symbols the key holds now.</summary>
    public int Held(string keyId)
    {
        lock (_lock) return _accounts.TryGetValue(keyId, out var account) ? account.Holders.Count : 0;
    }
}
