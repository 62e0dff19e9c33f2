namespace Quotes.LoadTest;

/// <summary>
/// Latencies in 1 ms buckets up to a minute (beyond: the last bucket). Thread-safe and allocation-free to record: each
/// thread counts into its own buckets (no shared cache line between the tool's threads), merged when read.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Buckets = 60_000;

    private sealed class Counts
    {
        public readonly long[] Buckets = new long[LatencyHistogram.Buckets + 1];
        public long Max;
    }

    private readonly ThreadLocal<Counts> _perThread = new(() => new Counts(), trackAllValues: true);

    public long Count => _perThread.Values.Sum(c => c.Buckets.Sum());

    public long Max => _perThread.Values.Select(c => Volatile.Read(ref c.Max)).DefaultIfEmpty(0).Max();

    public void Record(long milliseconds)
    {
        var counts = _perThread.Value!;
        counts.Buckets[(int)Math.Clamp(milliseconds, 0, Buckets)]++;
        if (milliseconds > counts.Max) Volatile.Write(ref counts.Max, milliseconds);
    }

    /// <summary>The smallest latency that at least <paramref name="percentile"/> % of the samples do not exceed.</summary>
    public long Percentile(double percentile)
    {
        var merged = new long[Buckets + 1];
        foreach (var counts in _perThread.Values)
            for (var i = 0; i <= Buckets; i++) merged[i] += Volatile.Read(ref counts.Buckets[i]);
        var total = merged.Sum();
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i <= Buckets; i++)
        {
            seen += merged[i];
            if (seen >= rank) return i;
        }
        return Buckets;
    }

    public void Reset()
    {
        foreach (var counts in _perThread.Values)
        {
            Array.Clear(counts.Buckets);
            Volatile.Write(ref counts.Max, 0);
        }
    }
}
