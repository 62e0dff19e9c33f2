using System.Buffers;
using System.Text;
using System.Text.Json;
using Quotes.Actors.Sessions;
using Xunit;

namespace Quotes.Actors.Tests;

public class SessionOutboxSpecs
{
    internal static List<JsonElement> Drain(SessionOutbox outbox, int maxBytes = 64 * 1024)
    {
        var frame = new ArrayBufferWriter<byte>();
        if (outbox.DrainTo(frame, maxBytes) == 0) return [];
        using var doc = JsonDocument.Parse(frame.WrittenMemory);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_frame_is_a_JSON_array_with_control_messages_first_in_order()
    {
        var outbox = new SessionOutbox();
        outbox.OfferQuote("AAPL", Json("""{"q":1}"""));
        outbox.EnqueueControl(Json("""{"c":1}"""));
        outbox.EnqueueControl(Json("""{"c":2}"""));

        var messages = Drain(outbox);

        Assert.Equal(["""{"c":1}""", """{"c":2}""", """{"q":1}"""], messages.Select(m => m.GetRawText()));
    }

    [Fact]
    public void Only_the_newest_quote_per_symbol_is_kept_while_unsent()
    {
        var outbox = new SessionOutbox();
        for (var i = 1; i <= 1000; i++)
        {
            outbox.OfferQuote("AAPL", Json($$"""{"s":"AAPL","p":{{i}}}"""));
            outbox.OfferQuote("TSLA", Json($$"""{"s":"TSLA","p":{{i}}}"""));
        }

        var messages = Drain(outbox);

        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(1000, m.GetProperty("p").GetInt32()));
        Assert.Equal(1998, outbox.Conflated);
    }

    [Fact]
    public void What_does_not_fit_in_one_frame_stays_for_the_next()
    {
        var outbox = new SessionOutbox();
        for (var i = 0; i < 10; i++) outbox.OfferQuote("S" + i, Json($$"""{"pad":"{{new string('x', 100)}}"}"""));

        var first = Drain(outbox, maxBytes: 400);
        var rest = Drain(outbox);

        Assert.InRange(first.Count, 1, 4);
        Assert.Equal(10, first.Count + rest.Count);
    }

    [Fact]
    public void Overflowing_the_control_queue_marks_the_client_for_closing()
    {
        var outbox = new SessionOutbox();
        for (var i = 0; i < SessionOutbox.MaxControlMessages; i++) Assert.True(outbox.EnqueueControl(Json("{}")));

        Assert.False(outbox.EnqueueControl(Json("{}")));
        Assert.True(outbox.Overflowed);
    }

    [Fact]
    public void A_lowered_bound_on_pending_replies_marks_the_client_for_closing_sooner()
    {
        var outbox = new SessionOutbox(maxControlMessages: 16);
        for (var i = 0; i < 16; i++) Assert.True(outbox.EnqueueControl(Json("{}")));

        Assert.False(outbox.EnqueueControl(Json("{}")));
        Assert.True(outbox.Overflowed);
    }

    [Fact]
    public async Task The_writer_wakes_when_something_is_queued_and_stops_after_completion()
    {
        var outbox = new SessionOutbox();
        var waiting = outbox.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        outbox.EnqueueControl(Json("{}"));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Single(Drain(outbox));

        outbox.Complete();
        Assert.False(await outbox.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_forgotten_symbol_loses_its_unsent_quote_and_its_slot_is_reused()
    {
        var outbox = new SessionOutbox();
        outbox.OfferQuote("AAPL", Json("""{"s":"AAPL"}"""));
        outbox.Forget("AAPL");
        Assert.Empty(Drain(outbox));

        // Far more symbols over time than slots, as long as the client holds at most 50 at once.
        for (var i = 0; i < 10 * SessionOutbox.MaxSymbols; i++)
        {
            outbox.OfferQuote($"S{i}", Json($$"""{"s":"S{{i}}"}"""));
            Assert.Equal($"S{i}", Assert.Single(Drain(outbox)).GetProperty("s").GetString());
            outbox.Forget($"S{i}");
        }
    }

    [Fact]
    public void A_quote_already_sent_is_sent_again_only_to_a_new_subscription_and_offers_from_many_threads_all_land()
    {
        var outbox = new SessionOutbox();
        var same = Json("""{"s":"AAPL","seq":1}""");
        outbox.OfferQuote("AAPL", same);
        Assert.Single(Drain(outbox));
        outbox.OfferQuote("AAPL", same);
        Assert.Empty(Drain(outbox));
        outbox.Forget("AAPL");
        outbox.OfferQuote("AAPL", same); // the hub caches a snapshot's bytes: the same array, a new subscription
        Assert.Single(Drain(outbox));

        Parallel.For(0, 50, i =>
        {
            for (var n = 0; n < 200; n++) outbox.OfferQuote($"T{i}", Json($$"""{"s":"T{{i}}","n":{{n}}}"""));
        });
        var messages = Drain(outbox);
        Assert.Equal(50, messages.Count);
        Assert.All(messages, m => Assert.Equal(199, m.GetProperty("n").GetInt32()));
        Assert.Equal(50 * 199, outbox.Conflated);
    }

    [Fact]
    public async Task Offers_by_slot_wait_for_the_hubs_wake_and_only_the_first_pending_one_asks_for_it()
    {
        var outbox = new SessionOutbox();
        var (aapl, tsla) = (outbox.SlotFor("AAPL"), outbox.SlotFor("TSLA"));
        Assert.NotEqual(aapl, tsla);
        Assert.Equal(aapl, outbox.SlotFor("AAPL"));

        Assert.True(outbox.OfferQuote(aapl, Json("""{"s":"AAPL"}""")));
        Assert.False(outbox.OfferQuote(tsla, Json("""{"s":"TSLA"}""")));
        var waiting = outbox.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted); // offers by slot leave the wake to the hub

        outbox.Wake();
        Assert.True(await waiting);
        Assert.Equal(["AAPL", "TSLA"], Drain(outbox).Select(m => m.GetProperty("s").GetString()).Order());
        Assert.True(outbox.OfferQuote(aapl, Json("""{"s":"AAPL","n":2}"""))); // pending again: asks again

        outbox.Complete();
        Assert.Equal(-1, outbox.SlotFor("MSFT"));
        Assert.False(outbox.OfferQuote(tsla, Json("""{"s":"TSLA","n":2}""")));
    }
}
