namespace Quotes.Simulator;

/// <summary>
/// Names an account without its key, so reports can say which connections shared one and never leak it: a listed key is
/// its index in <see cref="SimulatorOptions.ApiKeys"/>; a key accepted without a list is numbered in the order first
/// seen, after the listed ones. Thread-safe.
/// </summary>
internal sealed class AccountIds(IReadOnlyList<string> listed)
{
    private readonly Dictionary<string, int> _unlisted = new(StringComparer.Ordinal);

    public int Of(string key)
    {
        for (var i = 0; i < listed.Count; i++)
            if (string.Equals(listed[i], key, StringComparison.Ordinal)) return i;
        lock (_unlisted)
        {
            if (!_unlisted.TryGetValue(key, out var id)) _unlisted[key] = id = listed.Count + _unlisted.Count;
            return id;
        }
    }
}
