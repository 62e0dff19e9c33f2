namespace Quotes.Simulator;

/// <summary>
/// Which connections hold each account's authenticated session, and which must go when another one authenticates: the
/// <see cref="ConnectionLimitMode"/> rule as pure bookkeeping over ids, with no sockets and no clock so it can be
/// tested alone. Accounts are numbers (<see cref="AccountIds"/>), never keys. Not thread-safe: the caller locks.
/// </summary>
internal sealed class AccountConnections
{
    private readonly Dictionary<int, List<int>> _holders = [];
    private readonly Dictionary<int, int> _accountOf = [];

    /// <summary>
    /// Connection <paramref name="connection"/> authenticated as <paramref name="account"/> (a repeated auth, under any
    /// account, replaces its earlier one). Returns the connections to evict, possibly <paramref name="connection"/>
    /// itself; whoever is not evicted is recorded as a holder of the account.
    /// </summary>
    public IReadOnlyList<int> Admit(int account, int connection, ConnectionLimitMode mode)
    {
        Release(connection);
        var holders = _holders.GetValueOrDefault(account) ?? (_holders[account] = []);
        IReadOnlyList<int> evicted = mode switch
        {
            ConnectionLimitMode.EvictNewer when holders.Count > 0 => [connection],
            ConnectionLimitMode.EvictOlder => holders.ToList(),
            _ => [],
        };
        if (evicted.Contains(connection)) return evicted;
        foreach (var older in evicted) _accountOf.Remove(older);
        holders.RemoveAll(evicted.Contains);
        holders.Add(connection);
        _accountOf[connection] = account;
        return evicted;
    }

    /// <summary>The connection closed, failed a later auth or was evicted otherwise: it no longer holds its account.</summary>
    public void Release(int connection)
    {
        if (!_accountOf.Remove(connection, out var account)) return;
        var holders = _holders[account];
        holders.Remove(connection);
        if (holders.Count == 0) _holders.Remove(account);
    }

    /// <summary>The connections holding <paramref name="account"/> now, oldest admitted first.</summary>
    public IReadOnlyList<int> Holders(int account) => _holders.GetValueOrDefault(account)?.ToList() ?? [];
}
