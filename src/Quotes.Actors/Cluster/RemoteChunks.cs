namespace Quotes.Actors.Cluster;

/// <summary>
/// Splits a burst bound for another node into as few messages as Akka.Remote carries: every remote message costs a
/// wake-up of the sending and the receiving node's remoting threads whatever its size, so fewer, fuller messages are
/// cheaper than a fixed count per message, as long as none outgrows remoting's frame (128,000 bytes by default; a larger
/// one is dropped). The size of an item is an estimate from above, so a chunk's bytes stay under <see cref="MaxBytes"/>.
/// </summary>
public static class RemoteChunks
{
    /// <summary>The estimated bytes a chunk may carry: well under Akka.Remote's 128,000-byte frame, envelope included.</summary>
    public const int MaxBytes = 100_000;

    /// <summary>
    /// The items in order, in chunks of at most <paramref name="maxBytes"/> estimated bytes each; an item larger than that
    /// alone makes a chunk of its own (its sender's frame limit is the only bound left for it).
    /// </summary>
    public static IEnumerable<T[]> BySize<T>(IReadOnlyList<T> items, Func<T, int> estimatedBytes, int maxBytes = MaxBytes)
    {
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var size = estimatedBytes(items[i]);
            if (i > start && bytes + size > maxBytes)
            {
                yield return Slice(items, start, i);
                (start, bytes) = (i, 0);
            }
            bytes += size;
        }
        if (start < items.Count) yield return Slice(items, start, items.Count);
    }

    private static T[] Slice<T>(IReadOnlyList<T> items, int from, int to)
    {
        var chunk = new T[to - from];
        for (var i = from; i < to; i++) chunk[i - from] = items[i];
        return chunk;
    }
}
