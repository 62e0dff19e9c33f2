using Akka.Actor;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class QuoteConflatingQueueSpecs
{
    private static Envelope Update(string symbol, long seq) =>
        new(new SymbolProtocol.QuoteUpdated(new Quote { Symbol = symbol, Price = seq, Seq = seq, Timestamp = seq }), ActorRefs.NoSender);

    private static object Take(QuoteConflatingQueue queue)
    {
        Assert.True(queue.TryDequeue(out var envelope));
        return envelope.Message;
    }

    [Fact]
    public void A_waiting_update_is_replaced_in_place_by_a_newer_one_and_other_messages_keep_their_order()
    {
        var queue = new QuoteConflatingQueue();
        queue.Enqueue(ActorRefs.Nobody, Update("AAPL", 1));
        queue.Enqueue(ActorRefs.Nobody, new Envelope("control", ActorRefs.NoSender));
        queue.Enqueue(ActorRefs.Nobody, Update("AAPL", 2));
        queue.Enqueue(ActorRefs.Nobody, Update("TSLA", 1));
        queue.Enqueue(ActorRefs.Nobody, Update("AAPL", 3));

        Assert.Equal(3, queue.Count);
        Assert.Equal(3, ((SymbolProtocol.QuoteUpdated)Take(queue)).Quote.Seq);
        Assert.Equal("control", Take(queue));
        Assert.Equal("TSLA", ((SymbolProtocol.QuoteUpdated)Take(queue)).Quote.Symbol);
        Assert.False(queue.HasMessages);
        Assert.Equal(2, queue.Conflated);

        // Once taken, the next update for the symbol queues afresh.
        queue.Enqueue(ActorRefs.Nobody, Update("AAPL", 4));
        Assert.Equal(4, ((SymbolProtocol.QuoteUpdated)Take(queue)).Quote.Seq);
    }

    [Fact]
    public void However_many_updates_arrive_the_queue_holds_at_most_one_per_symbol()
    {
        var queue = new QuoteConflatingQueue();
        Parallel.For(0, 8, worker =>
        {
            for (var seq = 1; seq <= 10_000; seq++) queue.Enqueue(ActorRefs.Nobody, Update($"S{seq % 100}", seq));
        });
        Assert.Equal(100, queue.Count);
    }
}
