namespace Quotes.LoadTest;

/// <summary>Latencies in 1 ms buckets up to a minute (beyond: the last bucket). Thread-safe, allocation-free to record.</summary>
public sealed class LatencyHistogram
{
    private const int Buckets = 60_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private long _max;

    public long Count => _counts.Sum();

    public void Record(long milliseconds)
    {
        var bucket = (int)Math.Clamp(milliseconds, 0, Buckets);
        Interlocked.Increment(ref _counts[bucket]);
        long max;
        while (milliseconds > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, milliseconds, max) != max) { }
    }

    public long Max => Interlocked.Read(ref _max);

    /// <summary>The smallest latency that at least <paramref name="percentile"/> % of the samples do not exceed.</summary>
    public long Percentile(double percentile)
    {
        var total = Count;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i <= Buckets; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return i;
        }
        return Buckets;
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Interlocked.Exchange(ref _max, 0);
    }
}
