using Akka.Actor;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Actors.Tests.Wire;

/// <summary>
/// One or more fixed instances of every cross-node message, named <c>manifest</c> or <c>manifest.variant</c>: the round-trip
/// specs serialize them, the golden specs compare them with the bytes an earlier build wrote (<c>Wire/golden/NAME.bin</c>).
/// Changing a sample therefore means regenerating its golden file; add new samples rather than change old ones.
/// </summary>
public static class WireSamples
{
    /// <summary>Every field set, decimals with many digits and trailing zeros (their scale must survive too).</summary>
    public static readonly Quote Full = new()
    {
        Symbol = "BRK.B", Price = 412.50m, PreviousPrice = 412.25m, Change = 1.5m, ChangePercent = 0.3649m, PreviousClose = 411m, Open = 411.2m,
        High = 413m, Low = 410.9m, Volume = 1_234_567, Vwap = 412.0123456789012345678901234m, Timestamp = 1_732_633_200_000, Seq = 42,
        Snapshot = true, Source = "live",
    };

    /// <summary>Every nullable field null.</summary>
    public static readonly Quote Nulls = new() { Symbol = "AAPL", Price = 230.1m, Volume = 0, Timestamp = 1_732_633_201_000, Seq = 1 };

    /// <summary>Every nullable field set to its zero, which must not read as null: 0, false, the empty string.</summary>
    public static readonly Quote Zeros = new()
    {
        Symbol = "ZERO", Price = 0m, PreviousPrice = 0m, Change = 0m, ChangePercent = 0m, PreviousClose = 0m, Open = 0m, High = 0m, Low = 0m,
        Volume = 0, Vwap = 0m, Timestamp = 0, Seq = 0, Snapshot = false, Source = "",
    };

    /// <summary>Negative values, the largest coefficient a decimal holds and the largest scale.</summary>
    public static readonly Quote Extremes = Full with
    {
        Symbol = "EXT",
        Price = 0.0000000000000000000000000001m,
        Change = -7.92281625142643375935439503m,
        ChangePercent = decimal.MinValue,
        High = decimal.MaxValue,
        Low = -0.5m,
        Volume = long.MaxValue,
        Timestamp = long.MinValue,
        Seq = -1,
    };

    /// <summary>A quote made from an aggregate: its window's open, high, low and volume (added after version 2 of the format).</summary>
    public static readonly Quote WithBar = Full with { BarOpen = 412.10m, BarHigh = 412.80m, BarLow = 411.95m, BarVolume = 12_300 };

    /// <summary>The bar at zero, which must not read as absent.</summary>
    public static readonly Quote ZeroBar = Zeros with { BarOpen = 0m, BarHigh = 0m, BarLow = 0m, BarVolume = 0 };

    public static readonly AggregateBar Bar = new()
    {
        Symbol = "AAPL", Open = 10.1m, High = 10.5m, Low = 10m, Close = 10.25m, Volume = 1_000, AccumulatedVolume = 5_000, OfficialOpen = 9.9m,
        WindowVwap = 10.2m, DayVwap = 10.1234m, Start = 1_732_633_200_000, End = 1_732_633_201_000,
    };

    public static readonly byte[] RawEvent = """{"ev":"A","sym":"BRK.B","c":412.5}"""u8.ToArray();

    /// <summary>Every sample; <paramref name="hub"/> is the actor reference the messages that carry one hold.</summary>
    public static IEnumerable<(string Name, IQuotesMessage Message)> All(IActorRef hub)
    {
        yield return ("A", new SymbolProtocol.Aggregate("AAPL", Bar with { Raw = """{"ev":"A","sym":"AAPL"}"""u8.ToArray() }));
        yield return ("A.no-raw", new SymbolProtocol.Aggregate("AAPL", Bar));
        yield return ("A.empty-raw", new SymbolProtocol.Aggregate("AAPL", Bar with { Raw = [] }));
        yield return ("Q", new SymbolProtocol.QuoteUpdated(Full, RawEvent));
        yield return ("Q.no-raw", new SymbolProtocol.QuoteUpdated(Full));
        yield return ("Q.no-new-event", new SymbolProtocol.QuoteUpdated(Full, NoNewEvent: true));
        yield return ("Q.empty-raw", new SymbolProtocol.QuoteUpdated(Full, []));
        yield return ("Q.nulls", new SymbolProtocol.QuoteUpdated(Nulls));
        yield return ("Q.zeros", new SymbolProtocol.QuoteUpdated(Zeros));
        yield return ("QB", new SymbolProtocol.QuoteBatch([
            new SymbolProtocol.QuoteBatch.Item(hub, new SymbolProtocol.QuoteUpdated(Full, RawEvent)),
            new SymbolProtocol.QuoteBatch.Item(hub, new SymbolProtocol.QuoteUpdated(Nulls))]));
        yield return ("QB.empty", new SymbolProtocol.QuoteBatch([]));
        yield return ("QB.no-new-event", new SymbolProtocol.QuoteBatch([
            new SymbolProtocol.QuoteBatch.Item(hub, new SymbolProtocol.QuoteUpdated(Full, NoNewEvent: true))]));
        yield return ("AB", new SymbolProtocol.AggregateBatch([
            Bar with { Raw = """{"ev":"A","sym":"AAPL"}"""u8.ToArray() }, Bar with { Symbol = "BRK.B" }]));
        yield return ("AB.empty", new SymbolProtocol.AggregateBatch([]));
        yield return ("AK", SymbolProtocol.AggregateBatchAck.Instance);
        yield return ("IB", new SymbolProtocol.InterestRenewals(hub, [
            new SymbolProtocol.InterestRenewals.Item("AAPL", WantsRaw: true), new SymbolProtocol.InterestRenewals.Item("BRK.B", WantsRaw: false)]));
        yield return ("IB.empty", new SymbolProtocol.InterestRenewals(hub, []));
        yield return ("WB", new UpstreamProtocol.WantBatch(["AAPL", "BRK.B"]));
        yield return ("WB.empty", new UpstreamProtocol.WantBatch([]));
        yield return ("Q.extremes", new SymbolProtocol.QuoteUpdated(Extremes));
        yield return ("Q.bar", new SymbolProtocol.QuoteUpdated(WithBar, RawEvent));
        yield return ("Q.bar-zeros", new SymbolProtocol.QuoteUpdated(ZeroBar));
        yield return ("C.bar", new SymbolProtocol.CurrentQuote("BRK.B", WithBar));
        yield return ("I.bar", new SymbolProtocol.Interest("BRK.B", hub, WantSnapshot: true, Seed: WithBar, WantsRaw: false));
        yield return ("I", new SymbolProtocol.Interest("BRK.B", hub, WantSnapshot: true, Seed: Full, WantsRaw: true));
        yield return ("I.no-seed", new SymbolProtocol.Interest("AAPL", hub, WantSnapshot: false));
        yield return ("I.nulls", new SymbolProtocol.Interest("AAPL", hub, WantSnapshot: true, Seed: Nulls));
        yield return ("I.zeros", new SymbolProtocol.Interest("ZERO", hub, WantSnapshot: false, Seed: Zeros, WantsRaw: true));
        yield return ("R", new SymbolProtocol.ReleaseInterest("AAPL", hub));
        yield return ("F", new SymbolProtocol.Refresh("AAPL", Bar, 9.50m));
        yield return ("F.no-close", new SymbolProtocol.Refresh("AAPL", Bar, null));
        yield return ("F.zero-close", new SymbolProtocol.Refresh("AAPL", Bar, 0m));
        yield return ("G", new SymbolProtocol.GetQuote("AAPL"));
        yield return ("C", new SymbolProtocol.CurrentQuote("BRK.B", Full));
        yield return ("C.no-quote", new SymbolProtocol.CurrentQuote("AAPL", null));
        yield return ("C.nulls", new SymbolProtocol.CurrentQuote("AAPL", Nulls));
        yield return ("C.zeros", new SymbolProtocol.CurrentQuote("ZERO", Zeros));
        yield return ("S", new SymbolProtocol.Snapshot("BRK.B", Full));
        yield return ("S.no-quote", new SymbolProtocol.Snapshot("AAPL", null));
        yield return ("S.nulls", new SymbolProtocol.Snapshot("AAPL", Nulls));
        yield return ("S.zeros", new SymbolProtocol.Snapshot("ZERO", Zeros));
        yield return ("GI", new SymbolProtocol.GetInterest("AAPL"));
        yield return ("IR", new SymbolProtocol.InterestReport("AAPL", ["akka.tcp://quotes@n1:4053/user/hub", "akka.tcp://quotes@n2:4053/user/hub"]));
        yield return ("IR.empty", new SymbolProtocol.InterestReport("AAPL", []));
        yield return ("X", SymbolProtocol.Stop.Instance);
        yield return ("W", new UpstreamProtocol.Want("AAPL"));
        yield return ("U", new UpstreamProtocol.Unwant("AAPL"));
        yield return ("WS", new UpstreamProtocol.WatchStatus(hub));
        yield return ("SC", new UpstreamProtocol.StatusChanged("connected", "authenticated"));
        yield return ("SC.simulated", new UpstreamProtocol.StatusChanged("connected", "authenticated", Simulated: true));
        yield return ("UG", UpstreamProtocol.GetReport.Instance);
        yield return ("RW", UpstreamProtocol.RecallWants.Instance);
        yield return ("HW", new UpstreamProtocol.HubWants(hub, ["AAPL", "BRK.B"]));
        yield return ("UR", new UpstreamProtocol.Report("connected", "ok", ["AAPL"], ["AAPL", "TSLA"], 3, 1,
            [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)], 7, "akka.tcp://quotes@n1:4053"));
        yield return ("UR.cap", new UpstreamProtocol.Report("connected", "ok", ["AAPL"], ["AAPL", "TSLA"], 3, 1,
            [TimeSpan.FromMilliseconds(250)], 7, "akka.tcp://quotes@n1:4053", 5_000, 12));
        yield return ("AD", new UpstreamProtocol.Admit(["AAPL", "BRK.B"]));
        yield return ("AD.empty", new UpstreamProtocol.Admit([]));
        yield return ("AN", new UpstreamProtocol.Admission(true, 4_999, 5_000));
        yield return ("AN.refused", new UpstreamProtocol.Admission(false, 5_000, 5_000));
        yield return ("GS", new UpstreamProtocol.GetStreamed(["AAPL", "ZZZZ"]));
        yield return ("ST", new UpstreamProtocol.Streamed(["AAPL"]));
        yield return ("ST.empty", new UpstreamProtocol.Streamed([]));
        yield return ("HG", HubProtocol.GetReport.Instance);
        yield return ("HR", new HubProtocol.Report(3, 5, "connected", "authenticated", "open", new OutboxBacklog(7, 2, 50, 12345)));
        yield return ("HR.counts", new HubProtocol.Report(3, 5, "connected", "authenticated", "open", new OutboxBacklog(7, 2, 50, 12345), 120, 4));
        yield return ("HB", new HubProtocol.Bequest([Full, Nulls, WithBar]));
        yield return ("HB.empty", new HubProtocol.Bequest([]));
    }

    /// <summary>The manifest a sample's name starts with.</summary>
    public static string ManifestOf(string name) => name.Split('.')[0];
}
