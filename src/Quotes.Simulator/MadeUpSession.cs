namespace Quotes.Simulator;

/// <summary>
/// A session a walk never traded, made up around the close it stood at: the same bar wherever it is read (the range's
/// daily bars, <c>/prev</c> and the grouped bars, a snapshot's <c>prevDay</c>) and in every process, for the same seed.
/// </summary>
public static class MadeUpSession
{
    /// <summary>The bar of <paramref name="day"/> closing at <paramref name="close"/>: an open one session's move away, a range around both.</summary>
    public static DayBar Around(string symbol, int seed, DateOnly day, decimal close, long dailyVolume, double dailyVolatility)
    {
        var random = RandomFor(symbol, seed, day);
        var open = Math.Round(close / (1m + Move(symbol, seed, day, dailyVolatility)) * (1m + (decimal)(random.NextDouble() - 0.5) * 0.004m), 2);
        var high = Math.Round(Math.Max(open, close) * (1m + (decimal)random.NextDouble() * 0.01m), 2);
        var low = Math.Round(Math.Min(open, close) * (1m - (decimal)random.NextDouble() * 0.01m), 2);
        var volume = (long)(dailyVolume * (0.6 + 0.8 * random.NextDouble()));
        return new DayBar(day, open, high, low, close, volume, Math.Round((open + high + low + close) / 4m, 4), volume / 120);
    }

    /// <summary>A session's move, uniform with the symbol's daily volatility as its standard deviation.</summary>
    public static decimal Move(string symbol, int seed, DateOnly day, double dailyVolatility) =>
        (decimal)((RandomFor(symbol, seed, day, salt: 3).NextDouble() - 0.5) * 2 * Math.Sqrt(3) * dailyVolatility);

    /// <summary>The random numbers of one symbol's day; never <c>HashCode.Combine</c>, which is seeded per process.</summary>
    public static Random RandomFor(string symbol, int seed, DateOnly day, int salt = 0) =>
        new(unchecked(seed * 31 + day.DayNumber * 1_000_003 + salt * 7_919 + Fnv(symbol)));

    private static int Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return unchecked((int)hash);
    }
}
