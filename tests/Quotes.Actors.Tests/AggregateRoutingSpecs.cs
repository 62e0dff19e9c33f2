using Akka.Actor;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Provider;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>The hand-over of a batch's aggregates: one ask of the inbox per batch, answered once they are with the region.</summary>
public sealed class AggregateRoutingSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static AggregateBar Bar(string symbol) => new() { Symbol = symbol, Close = 1m, End = 1000 };

    [Fact]
    public async Task An_asked_batch_is_acknowledged_by_the_inbox_after_each_aggregate_is_with_the_region()
    {
        var region = CreateTestProbe();
        var inbox = Sys.ActorOf(Props.Create(() => new SymbolInbox(region.Ref)));

        var ack = await inbox.Ask<SymbolProtocol.AggregateBatchAck>(new SymbolProtocol.AggregateBatch([Bar("AAA"), Bar("BBB")]), RemainingOrDefault);

        Assert.Same(SymbolProtocol.AggregateBatchAck.Instance, ack);
        Assert.Equal("AAA", (await region.ExpectMsgAsync<SymbolProtocol.Aggregate>()).Symbol);
        Assert.Equal("BBB", (await region.ExpectMsgAsync<SymbolProtocol.Aggregate>()).Symbol);
    }

    [Fact]
    public async Task A_batch_completes_only_when_the_local_inbox_acknowledges_it_with_one_ask_for_the_whole_batch()
    {
        var inbox = CreateTestProbe();
        var routing = new AggregateRouting(Sys, CreateTestProbe().Ref, inbox.Ref);

        var routed = routing.RouteAsync([Bar("AAA"), Bar("BBB"), Bar("CCC")]);

        var batch = await inbox.ExpectMsgAsync<SymbolProtocol.AggregateBatch>();
        var asker = inbox.LastSender;
        Assert.Equal(["AAA", "BBB", "CCC"], batch.Bars.Select(b => b.Symbol));
        await inbox.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.False(routed.IsCompleted);
        asker.Tell(SymbolProtocol.AggregateBatchAck.Instance);
        await routed.WaitAsync(RemainingOrDefault);
        Assert.Equal(0, routing.Unanswered);
    }

    [Fact]
    public async Task An_unanswered_batch_is_counted_after_the_ask_timeout_and_the_pipeline_moves_on()
    {
        var inbox = CreateTestProbe();
        var routing = new AggregateRouting(Sys, CreateTestProbe().Ref, inbox.Ref, ackTimeout: TimeSpan.FromMilliseconds(200));

        var routed = routing.RouteAsync([Bar("AAA")]);

        await inbox.ExpectMsgAsync<SymbolProtocol.AggregateBatch>();
        await routed.WaitAsync(RemainingOrDefault); // completes, never faults
        Assert.True(routed.IsCompletedSuccessfully);
        Assert.Equal(1, routing.Unanswered);
    }

    [Fact]
    public async Task Without_a_local_inbox_each_aggregate_goes_to_the_region_and_nothing_waits()
    {
        var region = CreateTestProbe();
        var routing = new AggregateRouting(Sys, region.Ref);

        var routed = routing.RouteAsync([Bar("AAA"), Bar("BBB")]);

        Assert.True(routed.IsCompletedSuccessfully);
        Assert.Equal("AAA", (await region.ExpectMsgAsync<SymbolProtocol.Aggregate>()).Symbol);
        Assert.Equal("BBB", (await region.ExpectMsgAsync<SymbolProtocol.Aggregate>()).Symbol);
    }
}
