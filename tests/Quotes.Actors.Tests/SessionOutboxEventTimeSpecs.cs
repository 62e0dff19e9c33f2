using Quotes.Actors.Outbox;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>The event time a socket writer measures end-to-end latency with: the oldest live quote of each frame.</summary>
public sealed class SessionOutboxEventTimeSpecs
{
    [Fact]
    public void A_frame_reports_its_oldest_live_quote_and_snapshots_do_not_count()
    {
        var outbox = new SessionOutbox();
        var (a, b, c) = (outbox.SlotFor("A"), outbox.SlotFor("B"), outbox.SlotFor("C"));
        outbox.OfferQuote(a, "{\"a\":1}"u8.ToArray(), eventMs: 2_000);
        outbox.OfferQuote(b, "{\"b\":1}"u8.ToArray(), eventMs: 1_000);
        outbox.OfferSnapshot("C", "{\"c\":1}"u8.ToArray()); // a snapshot: not live

        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Equal(3, outbox.DrainTo(frame));
        Assert.Equal(1_000, outbox.OldestEventMs);

        outbox.OfferQuote(c, "{\"c\":2}"u8.ToArray());
        frame.Clear();
        Assert.Equal(1, outbox.DrainTo(frame));
        Assert.Equal(0, outbox.OldestEventMs);
    }
}
