using Akka.Actor;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>The node's batcher of updates for remote hubs: a burst crosses in one message per hub, in order, nothing lost.</summary>
public sealed class UpdateBatcherSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private static SymbolProtocol.QuoteUpdated Update(string symbol, long seq) =>
        new(new Quote { Symbol = symbol, Price = 100m + seq, Volume = seq, Timestamp = 1_000 * seq, Seq = seq });

    /// <summary>
    /// The hubs of a burst's first update, read by the batcher only once the gate opens: the spec queues the whole burst
    /// first, as the entities of one upstream frame do, so the batcher cannot flush halfway through it.
    /// </summary>
    private sealed class GatedHubs(IReadOnlyList<(IActorRef Hub, bool WantsRaw)> hubs) : IReadOnlyList<(IActorRef Hub, bool WantsRaw)>
    {
        private readonly ManualResetEventSlim _open = new();
        public void Open() => _open.Set();
        public int Count => hubs.Count;
        public (IActorRef Hub, bool WantsRaw) this[int index] => hubs[index];
        public IEnumerator<(IActorRef Hub, bool WantsRaw)> GetEnumerator()
        {
            if (!_open.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("the spec never opened the gate");
            return hubs.GetEnumerator();
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Publishes a burst of <paramref name="count"/> updates to one hub, all queued before the batcher reads the first.</summary>
    private static void PublishBurst(IActorRef batcher, IActorRef entity, IActorRef hub, int count, bool wantsRaw, byte[]? raw = null)
    {
        var gate = new GatedHubs([(hub, wantsRaw)]);
        for (var i = 1; i <= count; i++)
        {
            var update = Update($"S{i}", i) with { RawEvent = raw };
            batcher.Tell(new UpdateBatcher.Publish(entity, update, update, i == 1 ? gate : [(hub, wantsRaw)]));
        }
        gate.Open();
    }

    [Fact]
    public async Task A_burst_reaches_each_hub_as_one_batch_in_order_with_the_event_only_where_wanted()
    {
        var batcher = Sys.ActorOf(Props.Create<UpdateBatcher>());
        var (quotesHub, polygonHub) = (CreateTestProbe(), CreateTestProbe());
        var entities = Enumerable.Range(0, 3).Select(_ => CreateTestProbe().Ref).ToList();
        var raw = "{}"u8.ToArray();

        // Queued together, as the entities of one upstream frame publish: the flush comes after all of them (the gate holds
        // the batcher on the first until all three are queued).
        var gate = new GatedHubs([(quotesHub.Ref, false), (polygonHub.Ref, true)]);
        for (var i = 0; i < 3; i++)
        {
            var update = Update($"S{i}", i + 1);
            batcher.Tell(new UpdateBatcher.Publish(entities[i], update, update with { RawEvent = raw }, i == 0 ? gate : [(quotesHub.Ref, false), (polygonHub.Ref, true)]));
        }
        gate.Open();

        var toQuotes = await quotesHub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>();
        var toPolygon = await polygonHub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>();
        Assert.Equal(["S0", "S1", "S2"], toQuotes.Updates.Select(u => u.Update.Quote.Symbol));
        Assert.Equal(entities, toQuotes.Updates.Select(u => u.Entity));
        Assert.All(toQuotes.Updates, u => Assert.Null(u.Update.RawEvent));
        Assert.All(toPolygon.Updates, u => Assert.Equal(raw, u.Update.RawEvent));
        await quotesHub.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));

        // The next update starts the next batch.
        var next = Update("S0", 9);
        batcher.Tell(new UpdateBatcher.Publish(entities[0], next, next, [(quotesHub.Ref, false)]));
        Assert.Equal(9, Assert.Single((await quotesHub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>()).Updates).Update.Quote.Seq);
        await polygonHub.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_burst_larger_than_one_message_may_carry_is_split_in_order_and_nothing_is_lost()
    {
        var batcher = Sys.ActorOf(Props.Create<UpdateBatcher>());
        var hub = CreateTestProbe();
        var entity = CreateTestProbe().Ref;
        var addressLength = ((ExtendedActorSystem)Sys).Provider.DefaultAddress.ToString().Length;
        // Raw events of 10 KB: nine fit in one message, so 25 need three.
        const int count = 25;
        PublishBurst(batcher, entity, hub.Ref, count, wantsRaw: true, raw: new byte[10_000]);

        var seqs = new List<long>();
        var batches = 0;
        while (seqs.Count < count)
        {
            var batch = await hub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>();
            batches++;
            Assert.InRange(batch.Updates.Sum(u => UpdateBatcher.EstimatedBytes(u, addressLength)), 1, RemoteChunks.MaxBytes);
            seqs.AddRange(batch.Updates.Select(u => u.Update.Quote.Seq));
        }
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), seqs);
        Assert.Equal(3, batches);
    }

    [Fact]
    public async Task A_burst_of_hundreds_of_plain_updates_crosses_in_one_message()
    {
        var batcher = Sys.ActorOf(Props.Create<UpdateBatcher>());
        var hub = CreateTestProbe();
        PublishBurst(batcher, CreateTestProbe().Ref, hub.Ref, 200, wantsRaw: false);

        Assert.Equal(200, (await hub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>()).Updates.Count);
        await hub.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }
}
