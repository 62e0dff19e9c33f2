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
/// The key budgets' replicated maps (<see cref="KeyBudgetReplicator"/>, <see cref="KeyBudgetBuckets"/>): written to the same
/// bytes by every process, bounded by the keys in use rather than by every key ever used, and the maps of older versions
/// deleted once no member writes them. Bytes: Akka.DistributedData compares replicas by a digest of those bytes, and
/// replicas whose digests differ send each other their whole value every gossip interval, forever. A map keyed by strings
/// is written in the order of the strings' hashes, which .NET randomizes per process; so a spec here reads a map from fixed
/// bytes and must write the same bytes back, which a string-keyed map of six entries does in about one process out of 720.
/// </summary>
public sealed class KeyBudgetReplicationSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    private static readonly Config Config = ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.cluster.app-version = "1.4.0"
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
        // Six entries as a node wrote them (DistributedData/key-holdings.bin, unzipped: a map of the same type as a bucket,
        // written by 1.3.0, its keys node ids where a bucket's are entry ids, both numbers). Read here, the entries land
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
    public async Task A_key_idle_everywhere_leaves_no_entry_in_the_buckets_and_is_forgotten()
    {
        // Every bearer-token user is a key of its own: what was kept per key must go once the key is idle, or it grows forever.
        await JoinSelfAsync();
        var start = new DateTime(2026, 12, 2, 15, 0, 0, DateTimeKind.Utc);
        var now = start.Ticks;
        var budget = new KeySymbolBudget(maxHeld: 10, newPerMinute: 10);
        await StartedAsync(KeyBudgetReplicator.Props(budget, () => new DateTime(Interlocked.Read(ref now), DateTimeKind.Utc),
            sweepInterval: TimeSpan.FromMilliseconds(100)));
        var users = Enumerable.Range(0, 300).Select(i => $"user-{i}").ToList();
        foreach (var user in users) Assert.Null(budget.TryHold(user, ["AAPL", "MSFT"], start));
        await AwaitAssertAsync(() => Assert.Equal(300, EntriesInBuckets()), TimeSpan.FromSeconds(10));

        foreach (var user in users) budget.Release(user, ["AAPL", "MSFT"]);
        // Released, but the two symbols each took on count for a minute: the entries stay, now holding no symbol.
        await AwaitAssertAsync(() => Assert.Equal(300, EntriesInBuckets(holding: "")), TimeSpan.FromSeconds(10));
        Assert.Equal(300, budget.KeysKnown);

        Interlocked.Exchange(ref now, start.AddMinutes(1).Ticks);

        await AwaitAssertAsync(() => Assert.Equal(0, EntriesInBuckets()), TimeSpan.FromSeconds(10));
        Assert.Equal(0, budget.KeysKnown);
    }

    [Fact]
    public async Task Entries_of_a_node_that_is_no_member_leave_the_buckets_and_free_the_keys_budget()
    {
        // An entry that came by gossip after its node's removal, or whose removal this node never saw: nobody else removes it.
        var cluster = await JoinSelfAsync();
        var budget = new KeySymbolBudget(maxHeld: 10, newPerMinute: 10);
        await StartedAsync(KeyBudgetReplicator.Props(budget, sweepInterval: TimeSpan.FromSeconds(2)));
        const long gone = 42;
        var key = KeyBudgetBuckets.KeyOf(KeyBudgetBuckets.Of("user-x"));
        Replicate(key, m => m.SetItem(cluster, KeyBudgetBuckets.EntryId(gone, "user-x"), KeyBudgetBuckets.Encode(gone, "user-x", new KeyHoldings(["AAPL"], []))));
        await AwaitAssertAsync(() => Assert.Equal(1, budget.HeldInCluster("user-x")), TimeSpan.FromSeconds(3)); // held elsewhere, as it reads

        // Absent from the membership at two sweeps in a row: forgotten.
        await AwaitAssertAsync(() => Assert.Equal(0, EntriesInBuckets()), TimeSpan.FromSeconds(15));
        await AwaitAssertAsync(() => Assert.Equal(0, budget.HeldInCluster("user-x")), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_replicator_that_restarts_reads_the_other_nodes_afresh_and_publishes_what_this_node_holds()
    {
        // Its view of the buckets goes with the failed instance: an entry removed after the restart stayed in the budget as
        // held elsewhere, and a change that was waiting to be published waited for the key's next one.
        var cluster = await JoinSelfAsync();
        var budget = new KeySymbolBudget(maxHeld: 10, newPerMinute: 10);
        var failNext = 0;
        DateTime Clock() => Interlocked.Exchange(ref failNext, 0) == 1 ? throw new InvalidOperationException("clock fault (spec)") : DateTime.UtcNow;
        await StartedAsync(KeyBudgetReplicator.Props(budget, Clock, sweepInterval: TimeSpan.FromHours(1)));
        const long other = 42;
        var key = KeyBudgetBuckets.KeyOf(KeyBudgetBuckets.Of("user-x"));
        var entry = KeyBudgetBuckets.EntryId(other, "user-x");
        Replicate(key, m => m.SetItem(cluster, entry, KeyBudgetBuckets.Encode(other, "user-x", new KeyHoldings(["AAPL"], []))));
        await AwaitAssertAsync(() => Assert.Equal(1, budget.HeldInCluster("user-x")), TimeSpan.FromSeconds(3));

        Interlocked.Exchange(ref failNext, 1);
        await EventFilter.Exception<InvalidOperationException>(contains: "clock fault").ExpectOneAsync(() =>
        {
            Assert.Null(budget.TryHold("user-y", ["MSFT"], DateTime.UtcNow)); // publishing it reads the clock: the replicator restarts
            return Task.CompletedTask;
        });
        Replicate(key, m => m.Remove(cluster, entry));

        await AwaitAssertAsync(() => Assert.Equal(0, budget.HeldInCluster("user-x")), TimeSpan.FromSeconds(5));
        await AwaitAssertAsync(() => Assert.Equal(1, EntriesInBuckets(holding: "MSFT")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Once_every_member_keeps_the_budgets_in_buckets_the_maps_of_older_versions_are_deleted()
    {
        var cluster = await JoinSelfAsync();
        var oldMaps = WriteOlderMaps(cluster); // and subscribes to them: deleting notifies the key's subscribers
        ReceiveN(oldMaps.Count, TimeSpan.FromSeconds(5)).ToList().ForEach(m => Assert.IsType<Changed>(m)); // their current values, once
        var budget = new KeySymbolBudget(10, 10);

        await StartedAsync(KeyBudgetReplicator.Props(budget));
        Assert.Null(budget.TryHold("0123abcd", ["AAPL"], DateTime.UtcNow));

        var deleted = ReceiveN(oldMaps.Count, TimeSpan.FromSeconds(10)).Select(m => Assert.IsType<DataDeleted>(m).Key.Id).Order();
        Assert.Equal(oldMaps.Select(k => k.Id).Order(), deleted);
        await AwaitAssertAsync(() => Assert.Equal(1, EntriesInBuckets(holding: "AAPL")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task While_a_member_of_an_older_version_is_in_the_cluster_its_maps_stay_and_they_go_once_it_has_left()
    {
        var cluster = await JoinSelfAsync();
        var older = ActorSystem.Create(Sys.Name, ConfigurationFactory.ParseString("akka.cluster.app-version = \"1.3.0\"").WithFallback(Config));
        try
        {
            var olderUp = new TaskCompletionSource();
            Akka.Cluster.Cluster.Get(older).RegisterOnMemberUp(() => olderUp.TrySetResult());
            await Akka.Cluster.Cluster.Get(older).JoinAsync(cluster.SelfAddress);
            await olderUp.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var oldMaps = WriteOlderMaps(cluster);
            ReceiveN(oldMaps.Count, TimeSpan.FromSeconds(5)).ToList().ForEach(m => Assert.IsType<Changed>(m)); // their current values, once

            Sys.ActorOf(KeyBudgetReplicator.Props(new KeySymbolBudget(10, 10)));

            ExpectNoMsg(TimeSpan.FromSeconds(3)); // the 1.3.0 member still writes them: not deleted
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

    /// <summary>Changes a bucket in this node's replica, as another node's write arriving by gossip would.</summary>
    private void Replicate(LWWDictionaryKey<long, string> key, Func<LWWDictionary<long, string>, LWWDictionary<long, string>> modify)
    {
        DistributedData.Get(Sys).Replicator.Tell(Dsl.Update(key, LWWDictionary<long, string>.Empty, WriteLocal.Instance, modify), TestActor);
        ExpectMsg<UpdateSuccess>();
    }

    /// <summary>Starts a replicator and waits until it follows its budget's changes (its PreStart has run once it answers).</summary>
    private async Task StartedAsync(Props props) => await Sys.ActorOf(props).Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5));

    /// <summary>
    /// What nodes of earlier versions wrote for a key: before 1.3.0 a map keyed by node address, from 1.3.0 one keyed by
    /// node id, each under a name of its own. The test actor subscribes to both.
    /// </summary>
    private List<IKey> WriteOlderMaps(Akka.Cluster.Cluster cluster)
    {
        var replicator = DistributedData.Get(Sys).Replicator;
        var byAddress = new LWWDictionaryKey<string, string>("key-symbols-0123abcd");
        replicator.Tell(Dsl.Update(byAddress, LWWDictionary<string, string>.Empty, WriteLocal.Instance,
            m => m.SetItem(cluster, cluster.SelfUniqueAddress.ToString(), "AAPL|")), TestActor);
        ExpectMsg<UpdateSuccess>();
        var byNodeId = new LWWDictionaryKey<long, string>("key-holdings-0123abcd");
        replicator.Tell(Dsl.Update(byNodeId, LWWDictionary<long, string>.Empty, WriteLocal.Instance,
            m => m.SetItem(cluster, KeyBudgetReplicator.NodeId(cluster.SelfUniqueAddress), "AAPL|")), TestActor);
        ExpectMsg<UpdateSuccess>();
        replicator.Tell(Dsl.Subscribe(byAddress, TestActor));
        replicator.Tell(Dsl.Subscribe(byNodeId, TestActor));
        return [byAddress, byNodeId];
    }

    /// <summary>Entries in all the buckets as this node's replica holds them; with <paramref name="holding"/>, only those whose symbols are that.</summary>
    private int EntriesInBuckets(string? holding = null)
    {
        var probe = CreateTestProbe();
        var count = 0;
        foreach (var key in KeyBudgetBuckets.All)
        {
            DistributedData.Get(Sys).Replicator.Tell(Dsl.Get(key, ReadLocal.Instance), probe);
            if (probe.ExpectMsg<IGetResponse>() is not GetSuccess found) continue;
            count += found.Get(key).Entries.Values.Count(v => holding is null
                || KeyHoldings.Decode(KeyBudgetBuckets.Decode(v)!.Value.Holdings).Symbols.SequenceEqual(holding.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }
        return count;
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
