namespace Quotes.Simulator;

/// <summary>
/// Names an account without its key, so reports can say which connections shared one and never leak it: a listed key is
/// its index in <see cref="SimulatorOptions.ApiKeys"/>; a key accepted without a list is numbered when a connection first
/// takes it, after the listed ones, and keeps its number while any open connection has taken it. Once none has, it is
/// forgotten: a simulator hit by many keys keeps only those of its open connections, and a key seen again gets a new
/// number (numbers are not reused, until they wrap past <see cref="int.MaxValue"/>, and never one in use). The account rule
/// (<see cref="AccountConnections"/>) only compares the numbers of open connections, so it sees one account per key.
/// Thread-safe.
/// </summary>
/// <param name="lastNumber">The unlisted number given last, to start from (specs); by default none yet.</param>
internal sealed class AccountIds(IReadOnlyList<string> listed, int? lastNumber = null)
{
    private sealed class Unlisted(int number)
    {
        public int Number { get; } = number;
        public int Connections { get; set; }
    }

    private readonly Dictionary<string, Unlisted> _unlisted = new(StringComparer.Ordinal);
    private readonly HashSet<int> _numbersInUse = [];
    /// <summary>The unlisted key each connection took.</summary>
    private readonly Dictionary<int, string> _keyOf = [];
    private int _last = lastNumber ?? listed.Count - 1;

    /// <summary>Unlisted keys remembered now: those open connections have taken.</summary>
    public int UnlistedCount
    {
        get { lock (_unlisted) return _unlisted.Count; }
    }

    /// <summary>
    /// Connection <paramref name="connection"/> authenticated with <paramref name="key"/> (instead of any key it took
    /// before): the number of its account, which stays the key's until <see cref="Release"/> of its last connection.
    /// </summary>
    public int Take(int connection, string key)
    {
        for (var i = 0; i < listed.Count; i++)
            if (string.Equals(listed[i], key, StringComparison.Ordinal))
            {
                Release(connection);
                return i;
            }
        lock (_unlisted)
        {
            if (!_unlisted.TryGetValue(key, out var account)) _unlisted[key] = account = new Unlisted(NextNumber());
            account.Connections++; // before the release: the same key taken again keeps its number
            ReleaseLocked(connection);
            _keyOf[connection] = key;
            return account.Number;
        }
    }

    /// <summary>The connection closed: an unlisted key no other open connection has taken is forgotten.</summary>
    public void Release(int connection)
    {
        lock (_unlisted) ReleaseLocked(connection);
    }

    private void ReleaseLocked(int connection)
    {
        if (!_keyOf.Remove(connection, out var key)) return;
        var account = _unlisted[key];
        if (--account.Connections > 0) return;
        _unlisted.Remove(key);
        _numbersInUse.Remove(account.Number);
    }

    /// <summary>The next number after the last one given, back to the first unlisted one past <see cref="int.MaxValue"/>, skipping numbers in use.</summary>
    private int NextNumber()
    {
        do _last = _last == int.MaxValue ? listed.Count : _last + 1;
        while (!_numbersInUse.Add(_last));
        return _last;
    }
}
