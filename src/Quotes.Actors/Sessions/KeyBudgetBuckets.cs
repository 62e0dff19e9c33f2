using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.DistributedData;

namespace Quotes.Actors.Sessions;

/// <summary>
/// Where the key budgets live in Akka.DistributedData (<see cref="KeyBudgetReplicator"/>): a fixed number of replicated maps,
/// the buckets, each holding the entries of the keys whose id hashes to it, one entry per key and node. A fixed number, because
/// a replicated name can never be removed (a deleted one stays as a tombstone, and could not be written again): one map per
/// key would grow by one for every bearer-token user who ever subscribed, on every node, for as long as the cluster runs. An
/// entry leaves its bucket once its node holds nothing for the key and took nothing on in the last minute, so a bucket holds
/// only the keys in use. Pure.
/// </summary>
public static class KeyBudgetBuckets
{
    /// <summary>
    /// How many buckets: every node must use the same number (a change is a new map name, like 1.4.0's). With 1,024, a
    /// bucket holds one entry per node for about one in a thousand of the keys in use. Changes cross as small deltas, but a
    /// node catching up (a join, a lost delta) gets a bucket whole, which must fit Akka.Remote's frame (128,000 bytes): an
    /// entry costs about 7 bytes per symbol its key holds on its node, so a bucket holds some 18,000 held symbols in all.
    /// Tens of thousands of keys holding tens of symbols each fit; a few thousand keys each holding near its full
    /// <c>Limits:MaxSymbolsPerKey</c> of 1,000 on several nodes would overflow some buckets (docs/SECURITY.md).
    /// </summary>
    public const int Count = 1_024;

    private const string Prefix = "key-budgets-";

    private static readonly LWWDictionaryKey<long, string>[] Keys =
        Enumerable.Range(0, Count).Select(i => new LWWDictionaryKey<long, string>(Prefix + i.ToString(CultureInfo.InvariantCulture))).ToArray();

    /// <summary>Every bucket's replicated name.</summary>
    public static IReadOnlyList<LWWDictionaryKey<long, string>> All => Keys;

    /// <summary>The bucket of a key id (the same in every process).</summary>
    public static int Of(string keyId) => (int)(Hash64(keyId) & (Count - 1));

    public static LWWDictionaryKey<long, string> KeyOf(int bucket) => Keys[bucket];

    /// <summary>The bucket a replicated name is, or -1 for any other name.</summary>
    public static int BucketOf(string replicatedId) =>
        replicatedId.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(replicatedId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var bucket)
        && bucket < Count
            ? bucket
            : -1;

    /// <summary>
    /// An entry's key in its bucket: a hash of the node and the key id. A number, not a string: a map keyed by strings is
    /// written in a different byte order in every process, and replicas whose bytes differ gossip their whole value forever.
    /// </summary>
    public static long EntryId(long node, string keyId) => Hash64(node.ToString(CultureInfo.InvariantCulture) + "\n" + keyId);

    /// <summary>An entry's value: the node, the key id and what the key holds and took on there (<see cref="KeyHoldings"/>).</summary>
    public static string Encode(long node, string keyId, KeyHoldings holdings) =>
        node.ToString(CultureInfo.InvariantCulture) + "\n" + keyId + "\n" + holdings.Encode();

    public readonly record struct Entry(long Node, string KeyId, string Holdings);

    /// <summary>The entry <paramref name="value"/> encodes, or null for anything else (another version's format).</summary>
    public static Entry? Decode(string? value)
    {
        if (value?.Split('\n') is not [var node, var keyId, var holdings]
            || !long.TryParse(node, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            return null;
        return new Entry(id, keyId, holdings);
    }

    /// <summary>
    /// The key's holdings on every node but <paramref name="self"/> in a bucket, each marked when its node is ranked before
    /// this one (by node id: every node agrees which of two is charged for a symbol both took on).
    /// </summary>
    public static List<(KeyHoldings Holdings, bool Ahead)> Others(IEnumerable<string> bucketValues, string keyId, long self) =>
        bucketValues.Select(Decode)
            .Where(e => e is { } entry && entry.Node != self && entry.KeyId == keyId)
            .Select(e => (KeyHoldings.Decode(e!.Value.Holdings), e.Value.Node < self))
            .ToList();

    /// <summary>The key ids whose entries differ between two values of a bucket (added, removed or changed).</summary>
    public static HashSet<string> Changed(IReadOnlyDictionary<long, string> before, IReadOnlyDictionary<long, string> after)
    {
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, value) in after)
            if (!before.TryGetValue(id, out var was) || was != value) Add(value);
        foreach (var (id, value) in before)
            if (!after.ContainsKey(id)) Add(value);
        return keyIds;

        void Add(string value)
        {
            if (Decode(value) is { } entry) keyIds.Add(entry.KeyId);
        }
    }

    /// <summary>The first 8 bytes of the SHA-256 of <paramref name="text"/>: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static long Hash64(string text) => BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
