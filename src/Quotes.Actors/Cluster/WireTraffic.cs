using System.Collections.Concurrent;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Messages and bytes this process serialized for other nodes and read from them, per message kind (the serializer's
/// manifest). Counted by <see cref="QuotesSerializer"/>, read by operators (<c>GET /admin/wire</c>) and benchmarks to see
/// what the cluster's traffic is made of: lease renewals, quote updates, reports.
/// </summary>
public static class WireTraffic
{
    private static readonly ConcurrentDictionary<string, long[]> SentCounts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, long[]> ReceivedCounts = new(StringComparer.Ordinal);

    public static void Sent(string manifest, int bytes) => Count(SentCounts, manifest, bytes);

    public static void Received(string manifest, int bytes) => Count(ReceivedCounts, manifest, bytes);

    /// <summary>Totals since the process started: manifest → (messages, bytes).</summary>
    public static IReadOnlyDictionary<string, (long Messages, long Bytes)> SentSoFar() => Snapshot(SentCounts);

    public static IReadOnlyDictionary<string, (long Messages, long Bytes)> ReceivedSoFar() => Snapshot(ReceivedCounts);

    private static void Count(ConcurrentDictionary<string, long[]> counts, string manifest, int bytes)
    {
        var cell = counts.GetOrAdd(manifest, _ => new long[2]);
        Interlocked.Increment(ref cell[0]);
        Interlocked.Add(ref cell[1], bytes);
    }

    private static IReadOnlyDictionary<string, (long, long)> Snapshot(ConcurrentDictionary<string, long[]> counts) =>
        counts.ToDictionary(c => c.Key, c => (Interlocked.Read(ref c.Value[0]), Interlocked.Read(ref c.Value[1])), StringComparer.Ordinal);
}
