namespace Quotes.Actors.Upstream;

/// <summary>
/// Symbols refused past <c>Polygon:MaxSymbols</c>, and when each was last logged: each is logged at most once per
/// <see cref="Every"/> (its entity renews its want every few seconds). Pure bookkeeping for <see cref="UpstreamActor"/>.
/// </summary>
public sealed class OverCapLog
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, DateTime> _logged = new(StringComparer.Ordinal);

    /// <summary>Distinct symbols refused within the last <see cref="Every"/> (until pruned).</summary>
    public int Count => _logged.Count;

    /// <summary>True when the refusal of <paramref name="symbol"/> is to be logged now (it counts as logged from now on).</summary>
    public bool ShouldLog(string symbol, DateTime now)
    {
        if (_logged.TryGetValue(symbol, out var logged) && now - logged < Every) return false;
        _logged[symbol] = now;
        return true;
    }

    /// <summary>Forgets the symbols last logged at least <see cref="Every"/> ago.</summary>
    public void Prune(DateTime now)
    {
        foreach (var symbol in _logged.Where(l => now - l.Value >= Every).Select(l => l.Key).ToList()) _logged.Remove(symbol);
    }
}
