using System.IO.Compression;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.DistributedData;
using Quotes.Actors.Sessions;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The replicated map of a key's holdings (<see cref="KeyBudgetReplicator"/>) must be written to the same bytes by every
/// process: Akka.DistributedData compares replicas by a digest of those bytes, and replicas whose digests differ send each
/// other their whole value every gossip interval, forever. A map keyed by strings is written in the order of the strings'
/// hashes, which .NET randomizes per process; so these specs compare with bytes fixed here, which a string-keyed map
/// matches in one process out of 720 (six entries) at most.
/// </summary>
public sealed class KeyBudgetReplicationSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    private static readonly Config Config = ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            """).WithFallback(DistributedData.DefaultConfig());

    private static UniqueAddress Node(int i) => new(new Address("akka.tcp", "quotes", $"10.0.0.{i}", 4191), 7919 * i);

    [Fact]
    public void A_nodes_id_in_the_maps_is_the_same_in_every_process()
    {
        // string.GetHashCode would differ from run to run; the id is part of what every node must agree on (the ranking).
        Assert.Equal(4_504_843_758_694_166_380L, KeyBudgetReplicator.NodeId(Node(1)));
        Assert.NotEqual(KeyBudgetReplicator.NodeId(Node(1)), KeyBudgetReplicator.NodeId(new UniqueAddress(Node(1).Address, 1)));
    }

    [Fact]
    public void A_keys_map_is_written_to_the_same_bytes_in_every_process()
    {
        var map = LWWDictionary<long, string>.Empty;
        foreach (var i in Enumerable.Range(1, 6))
            map = map.SetItem(Node(i), KeyBudgetReplicator.NodeId(Node(i)), Holdings(i), (_, _) => 1_000 + i);

        var bytes = Written(map);

        Assert.Equal("2E7E3FFAEC68AAB140455C51B58B491A3F3B70C8C0C70C8A6DF7EBB02C3E13CD", Convert.ToHexString(SHA256.HashData(bytes)));
    }

    private static string Holdings(int i) => new KeyHoldings([$"S{i}A", $"S{i}B"], [new KeyHoldings.Take(new DateTime(2026, 12, 1, 15, 0, i, DateTimeKind.Utc), 2)]).Encode();

    /// <summary>The map's bytes as the replicator's digest sees them, unzipped (the zip's own bytes are the runtime's business).</summary>
    private byte[] Written(LWWDictionary<long, string> map)
    {
        var serializer = Sys.Serialization.FindSerializerFor(map);
        Assert.Equal("ReplicatedDataSerializer", serializer.GetType().Name);
        using var unzipped = new MemoryStream();
        using (var zip = new GZipStream(new MemoryStream(serializer.ToBinary(map)), CompressionMode.Decompress)) zip.CopyTo(unzipped);
        return unzipped.ToArray();
    }
}
