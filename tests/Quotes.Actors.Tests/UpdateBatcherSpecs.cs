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

    [Fact]
    public async Task A_burst_reaches_each_hub_as_one_batch_in_order_with_the_event_only_where_wanted()
    {
        var batcher = Sys.ActorOf(Props.Create<UpdateBatcher>());
        var (quotesHub, polygonHub) = (CreateTestProbe(), CreateTestProbe());
        var entities = Enumerable.Range(0, 3).Select(_ => CreateTestProbe().Ref).ToList();
        var raw = "{}"u8.ToArray();

        // Queued together, as the entities of one upstream frame publish: the flush comes after all of them.
        for (var i = 0; i < 3; i++)
        {
            var update = Update($"S{i}", i + 1);
            batcher.Tell(new UpdateBatcher.Publish(entities[i], update, update with { RawEvent = raw }, [(quotesHub.Ref, false), (polygonHub.Ref, true)]));
        }

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
        // Raw events of 10 KB: about ten fit in one message, so 25 need three.
        var raw = new byte[10_000];
        const int count = 25;
        for (var i = 1; i <= count; i++)
        {
            var update = Update($"S{i}", i) with { RawEvent = raw };
            batcher.Tell(new UpdateBatcher.Publish(entity, update, update, [(hub.Ref, true)]));
        }

        var seqs = new List<long>();
        var batches = 0;
        while (seqs.Count < count)
        {
            var batch = await hub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>();
            batches++;
            Assert.InRange(batch.Updates.Sum(UpdateBatcher.EstimatedBytes), 1, RemoteChunks.MaxBytes);
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
        var entity = CreateTestProbe().Ref;
        for (var i = 1; i <= 300; i++)
        {
            var update = Update($"S{i}", i);
            batcher.Tell(new UpdateBatcher.Publish(entity, update, update, [(hub.Ref, false)]));
        }

        Assert.Equal(300, (await hub.ExpectMsgAsync<SymbolProtocol.QuoteBatch>()).Updates.Count);
        await hub.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }
}
