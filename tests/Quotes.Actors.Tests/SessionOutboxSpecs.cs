using System.Buffers;
using System.Text;
using System.Text.Json;
using Quotes.Actors.Outbox;
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
        outbox.OfferSnapshot("AAPL", Json("""{"q":1}"""));
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
            outbox.OfferSnapshot("AAPL", Json($$"""{"s":"AAPL","p":{{i}}}"""));
            outbox.OfferSnapshot("TSLA", Json($$"""{"s":"TSLA","p":{{i}}}"""));
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
        for (var i = 0; i < 10; i++) outbox.OfferSnapshot("S" + i, Json($$"""{"pad":"{{new string('x', 100)}}"}"""));

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
    public void A_snapshot_is_owed_until_it_is_sent_also_when_a_frame_leaves_it_for_the_next()
    {
        var outbox = new SessionOutbox();
        var slots = Enumerable.Range(0, 10).Select(i => outbox.SlotFor("S" + i)).ToList();
        foreach (var slot in slots.Take(5)) outbox.OfferQuote(slot, Json($$"""{"pad":"{{new string('x', 100)}}"}"""), eventMs: 1);
        foreach (var slot in slots.Skip(5)) outbox.OfferQuote(slot, Json($$"""{"pad":"{{new string('y', 100)}}"}"""), snapshot: true);
        Assert.Equal([false, false, false, false, false, true, true, true, true, true], slots.Select(outbox.OwesSnapshot));

        var sent = Drain(outbox, maxBytes: 700).Count; // the first slots only: the rest waits, snapshots still owed
        Assert.InRange(sent, 1, 6);
        Assert.All(slots.Skip(sent), slot => Assert.Equal(slot >= slots[5], outbox.OwesSnapshot(slot)));
        Assert.All(slots.Take(sent), slot => Assert.False(outbox.OwesSnapshot(slot)));

        Drain(outbox);
        Assert.DoesNotContain(slots, outbox.OwesSnapshot);
        outbox.OfferQuote(slots[9], Json("""{"n":2}"""));
        Assert.False(outbox.OwesSnapshot(slots[9])); // an update after the snapshot went is an update
    }

    [Fact]
    public void A_forgotten_symbol_loses_its_unsent_quote_and_its_slot_is_reused()
    {
        var outbox = new SessionOutbox();
        outbox.OfferSnapshot("AAPL", Json("""{"s":"AAPL"}"""));
        outbox.Forget("AAPL");
        Assert.Empty(Drain(outbox));

        // Far more symbols over time than slots, as long as the client holds at most 50 at once.
        for (var i = 0; i < 10 * SessionOutbox.MaxSymbols; i++)
        {
            outbox.OfferSnapshot($"S{i}", Json($$"""{"s":"S{{i}}"}"""));
            Assert.Equal($"S{i}", Assert.Single(Drain(outbox)).GetProperty("s").GetString());
            outbox.Forget($"S{i}");
        }
    }

    [Fact]
    public void A_quote_already_sent_is_sent_again_only_to_a_new_subscription_and_offers_from_many_threads_all_land()
    {
        var outbox = new SessionOutbox();
        var same = Json("""{"s":"AAPL","seq":1}""");
        outbox.OfferSnapshot("AAPL", same);
        Assert.Single(Drain(outbox));
        outbox.OfferSnapshot("AAPL", same);
        Assert.Empty(Drain(outbox));
        outbox.Forget("AAPL");
        outbox.OfferSnapshot("AAPL", same); // the hub caches a snapshot's bytes: the same array, a new subscription
        Assert.Single(Drain(outbox));

        // Offers from several real threads race the writer's drain on its own thread, as the hub and the socket writer do.
        // Each offering thread owns some symbols and offers their values in order; halfway through, it waits until the
        // writer has sent something, so drains demonstrably run in the middle of the offers.
        const int Symbols = 50, Offers = 2000, Threads = 5;
        var conflatedBefore = outbox.Conflated;
        var delivered = new List<JsonElement>();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var drainedSome = new ManualResetEventSlim();
        var offering = Threads;
        Thread Run(Action body) => new(() =>
        {
            try { body(); }
            catch (Exception e) { failures.Enqueue(e); }
        });
        var writer = Run(() =>
        {
            while (Volatile.Read(ref offering) > 0)
            {
                var frame = Drain(outbox);
                delivered.AddRange(frame);
                if (frame.Count > 0) drainedSome.Set();
            }
            delivered.AddRange(Drain(outbox)); // the last drain, after every offer
        });
        var offerers = Enumerable.Range(0, Threads).Select(t => Run(() =>
        {
            try
            {
                for (var n = 0; n < Offers; n++)
                {
                    if (n == Offers / 2 && !drainedSome.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the writer drained nothing while offers went on");
                    for (var i = t; i < Symbols; i += Threads) outbox.OfferSnapshot($"T{i}", Json($$"""{"s":"T{{i}}","n":{{n}}}"""));
                }
            }
            finally
            {
                Interlocked.Decrement(ref offering);
            }
        })).ToList();
        writer.Start();
        offerers.ForEach(o => o.Start());
        offerers.ForEach(o => o.Join());
        writer.Join();
        Assert.Empty(failures);

        // Every symbol landed; each one's values arrived in the order offered, never twice, and the last one sent is the
        // newest offered. Nothing is left behind.
        var bySymbol = delivered.GroupBy(m => m.GetProperty("s").GetString()!).ToDictionary(g => g.Key, g => g.Select(m => m.GetProperty("n").GetInt32()).ToList());
        Assert.Equal(Enumerable.Range(0, Symbols).Select(i => $"T{i}").Order(), bySymbol.Keys.Order());
        foreach (var (symbol, values) in bySymbol)
        {
            Assert.True(values.Zip(values.Skip(1)).All(p => p.First < p.Second), $"{symbol}: {string.Join(",", values)}");
            Assert.Equal(Offers - 1, values[^1]);
        }
        Assert.True(delivered.Count > Symbols, "drains between offers sent some symbols more than once");
        Assert.Empty(Drain(outbox));
        Assert.Equal(0, outbox.PendingQuotes);

        // The counts add up: each offer was sent, counted as conflated, or (when a drain took its bytes just before the
        // offer marked its slot) found already sent by the next drain, which needs a distinct earlier sending. So
        // offers - sent <= sent + conflated <= offers.
        var offers = Symbols * Offers;
        var conflated = outbox.Conflated - conflatedBefore;
        Assert.InRange(delivered.Count + conflated, offers - delivered.Count, offers);
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
