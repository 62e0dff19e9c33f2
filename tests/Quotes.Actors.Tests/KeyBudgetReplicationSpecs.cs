using System.IO.Compression;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.DistributedData;
using Akka.Serialization;
using Quotes.Actors.Sessions;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The replicated map of a key's holdings (<see cref="KeyBudgetReplicator"/>) must be written to the same bytes by every
/// process: Akka.DistributedData compares replicas by a digest of those bytes, and replicas whose digests differ send each
/// other their whole value every gossip interval, forever. A map keyed by strings is written in the order of the strings'
/// hashes, which .NET randomizes per process; so a spec here reads a map from fixed bytes and must write the same bytes
/// back, which a string-keyed map of six entries does in about one process out of 720.
/// </summary>
public sealed class KeyBudgetReplicationSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    private static readonly Config Config = ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.cluster.app-version = "1.3.0"
            """).WithFallback(DistributedData.DefaultConfig());

    private static UniqueAddress Node(int i) => new(new Address("akka.tcp", "quotes", $"10.0.0.{i}", 4191), 7919 * i);

    [Fact]
    public void A_nodes_id_in_the_maps_is_the_same_in_every_process()
    {
        // string.GetHashCode would differ from run to run; the id is part of what every node must agree on (the ranking).
        Assert.Equal(-603_891_183_302_130_654L, KeyBudgetReplicator.NodeId(Node(1)));
        Assert.NotEqual(KeyBudgetReplicator.NodeId(Node(1)), KeyBudgetReplicator.NodeId(new UniqueAddress(Node(1).Address, 1)));
    }

    [Fact]
    public void A_keys_map_is_written_to_the_same_bytes_in_every_process()
    {
        // Six nodes' entries as a node wrote them (DistributedData/key-holdings.bin, unzipped). Read here, the entries land
        // in this process's hash order; written again, they must come out in the same order, byte for byte. Fixed bytes
        // rather than a map built here: the versions in a map's dots come from a counter shared by the whole process.
        var fixture = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "DistributedData", "key-holdings.bin"));
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(LWWDictionary<long, string>));

        var map = (LWWDictionary<long, string>)serializer.FromBinary(Zipped(fixture), serializer.Manifest(LWWDictionary<long, string>.Empty));

        Assert.Equal(6, map.Count);
        Assert.Equal(Holdings(3), map[KeyBudgetReplicator.NodeId(Node(3))]);
        Assert.Equal(Convert.ToHexString(fixture), Convert.ToHexString(Written(map)));
    }

    [Fact]
    public async Task Once_every_member_keeps_the_maps_by_node_id_the_maps_of_older_versions_are_deleted()
    {
        var cluster = await JoinSelfAsync();
        var (old, current) = WriteBothMaps(cluster);
        DistributedData.Get(Sys).Replicator.Tell(Dsl.Subscribe(old, TestActor)); // deleting notifies the key's subscribers

        Sys.ActorOf(KeyBudgetReplicator.Props(new KeySymbolBudget(10, 10), ["0123abcd"]));

        FishForMessage(m => m is DataDeleted, TimeSpan.FromSeconds(10));
        DistributedData.Get(Sys).Replicator.Tell(Dsl.Get(current, ReadLocal.Instance), TestActor);
        Assert.Equal("AAPL|", ExpectMsg<GetSuccess>().Get(current)[KeyBudgetReplicator.NodeId(cluster.SelfUniqueAddress)]);
    }

    [Fact]
    public async Task While_a_member_of_an_older_version_is_in_the_cluster_its_maps_stay_and_they_go_once_it_has_left()
    {
        var cluster = await JoinSelfAsync();
        var older = ActorSystem.Create(Sys.Name, ConfigurationFactory.ParseString("akka.cluster.app-version = \"1.2.0\"").WithFallback(Config));
        try
        {
            var olderUp = new TaskCompletionSource();
            Akka.Cluster.Cluster.Get(older).RegisterOnMemberUp(() => olderUp.TrySetResult());
            await Akka.Cluster.Cluster.Get(older).JoinAsync(cluster.SelfAddress);
            await olderUp.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var (old, _) = WriteBothMaps(cluster);
            DistributedData.Get(Sys).Replicator.Tell(Dsl.Subscribe(old, TestActor));
            ExpectMsg<Changed>(TimeSpan.FromSeconds(5)); // its current value, once

            Sys.ActorOf(KeyBudgetReplicator.Props(new KeySymbolBudget(10, 10), ["0123abcd"]));

            ExpectNoMsg(TimeSpan.FromSeconds(3)); // the 1.2.0 member still writes it: not deleted
            await Akka.Cluster.Cluster.Get(older).LeaveAsync();
            FishForMessage(m => m is DataDeleted, TimeSpan.FromSeconds(20));
        }
        finally
        {
            await older.Terminate();
        }
    }

    private async Task<Akka.Cluster.Cluster> JoinSelfAsync()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return cluster;
    }

    /// <summary>What a node before 1.3.0 wrote for a key (a map keyed by node address, under the older name), and the current map.</summary>
    private (LWWDictionaryKey<string, string> Old, LWWDictionaryKey<long, string> Current) WriteBothMaps(Akka.Cluster.Cluster cluster)
    {
        var replicator = DistributedData.Get(Sys).Replicator;
        var old = new LWWDictionaryKey<string, string>("key-symbols-0123abcd");
        replicator.Tell(Dsl.Update(old, LWWDictionary<string, string>.Empty, WriteLocal.Instance,
            m => m.SetItem(cluster, cluster.SelfUniqueAddress.ToString(), "AAPL|")), TestActor);
        ExpectMsg<UpdateSuccess>();
        var current = KeyBudgetReplicator.KeyOf("0123abcd");
        replicator.Tell(Dsl.Update(current, LWWDictionary<long, string>.Empty, WriteLocal.Instance,
            m => m.SetItem(cluster, KeyBudgetReplicator.NodeId(cluster.SelfUniqueAddress), "AAPL|")), TestActor);
        ExpectMsg<UpdateSuccess>();
        return (old, current);
    }

    private static string Holdings(int i) => new KeyHoldings([$"S{i}A", $"S{i}B"], [new KeyHoldings.Take(new DateTime(2026, 12, 1, 15, 0, i, DateTimeKind.Utc), 2)]).Encode();

    private static byte[] Zipped(byte[] bytes)
    {
        using var zipped = new MemoryStream();
        using (var zip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(bytes);
        return zipped.ToArray();
    }

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
