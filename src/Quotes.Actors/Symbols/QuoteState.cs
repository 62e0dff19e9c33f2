using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Actors.Symbols;

/// <summary>
/// One symbol's live state, built from upstream aggregates. Immutable and free of actors, so its arithmetic is
/// tested directly. Change is derived at read time, so a previous close that arrives late fixes every later quote.
/// <para>
/// The state outlives the entity that holds it: a new incarnation (after a shard move, a crash or a restart) adopts
/// the latest quote the hubs delivered (<see cref="Adopt"/>), so <c>seq</c> never goes back and the day's range and
/// volume never shrink for a client (docs/PROTOCOL.md, "Continuity").
/// </para>
/// </summary>
public sealed record QuoteState(string Symbol)
{
    public decimal? Price { get; private init; }
    public decimal? PreviousPrice { get; private init; }
    public decimal? PreviousClose { get; private init; }
    public decimal? Open { get; private init; }
    public decimal? High { get; private init; }
    public decimal? Low { get; private init; }
    public decimal? Vwap { get; private init; }
    public long Volume { get; private init; }

    /// <summary>
    /// The aggregate window the price came from: its open, high, low and volume (its close is <see cref="Price"/>, its end
    /// <see cref="Timestamp"/>); null when the price came from elsewhere (the provider's snapshot).
    /// </summary>
    public decimal? BarOpen { get; private init; }
    public decimal? BarHigh { get; private init; }
    public decimal? BarLow { get; private init; }
    public long? BarVolume { get; private init; }

    /// <summary>End of the newest aggregate window applied (Unix ms); a bar that ended earlier is late.</summary>
    public long Timestamp { get; private init; }

    /// <summary>When the trading day of <see cref="Timestamp"/> ends (New York midnight, Unix ms); day values reset past it.</summary>
    public long DayEndsAt { get; private init; }

    /// <summary>The <c>seq</c> of the latest quote: one more per update, and never lower than any quote already delivered.</summary>
    public long Seq { get; private init; }

    public bool HasPrice => Price is not null;

    /// <summary>
    /// Applies <paramref name="bar"/>, or returns this same instance when the bar ended before the newest applied (a late
    /// bar never overwrites a newer price: Polygon may re-send a corrected bar for an older window). A re-sent bar for the newest window replaces it. The first
    /// bar of a new trading day starts the day's open, range, volume and VWAP afresh; the previous close is then unknown
    /// until the holder loads it again.
    /// </summary>
    public QuoteState Apply(AggregateBar bar)
    {
        if (HasPrice && bar.End < Timestamp) return this;
        var day = HasPrice && bar.End < DayEndsAt ? this : NewDay(bar.End);

        return day with
        {
            PreviousPrice = Price,
            Price = bar.Close,
            Open = bar.OfficialOpen > 0 ? bar.OfficialOpen : day.Open ?? bar.Open,
            High = day.High is { } high ? Math.Max(high, bar.High) : bar.High,
            Low = day.Low is { } low ? Math.Min(low, bar.Low) : bar.Low,
            Volume = bar.AccumulatedVolume > 0 ? Math.Max(bar.AccumulatedVolume, day.Volume) : day.Volume + bar.Volume,
            Vwap = bar.DayVwap > 0 ? bar.DayVwap : day.Vwap,
            Timestamp = bar.End,
            Seq = Seq + 1,
            BarOpen = Positive(bar.Open),
            BarHigh = Positive(bar.High),
            BarLow = Positive(bar.Low),
            BarVolume = bar.Volume,
        };
    }

    /// <summary>
    /// Applies the provider's day (a snapshot, as an aggregate over the day so far) as <see cref="Apply"/> does, but as no
    /// aggregate window: the quote made from it carries no bar.
    /// </summary>
    public QuoteState ApplyDay(AggregateBar day)
    {
        var next = Apply(day);
        return ReferenceEquals(next, this) ? this : next with { BarOpen = null, BarHigh = null, BarLow = null, BarVolume = null };
    }

    /// <summary>
    /// Merges the latest quote a hub delivered for this symbol (possibly by an earlier incarnation) into this state:
    /// the newer price wins, the day's range widens to cover both, volume is the larger, and <c>seq</c> ends above every
    /// quote either side delivered whenever the merged quote differs from it (so both audiences take it as new), and
    /// equal to the larger otherwise. A seed from an earlier trading day only lifts <c>seq</c>.
    /// </summary>
    public QuoteState Adopt(Quote seed)
    {
        var seedDayEnds = MarketCalendar.DayEndMs(seed.Timestamp);
        QuoteState merged;
        if (!HasPrice || seedDayEnds > DayEndsAt)
        {
            merged = this with
            {
                Price = seed.Price,
                PreviousPrice = seed.PreviousPrice,
                PreviousClose = seed.PreviousClose ?? (HasPrice ? null : PreviousClose),
                Open = seed.Open,
                High = seed.High,
                Low = seed.Low,
                Volume = seed.Volume,
                Vwap = seed.Vwap,
                Timestamp = seed.Timestamp,
                DayEndsAt = seedDayEnds,
                BarOpen = seed.BarOpen,
                BarHigh = seed.BarHigh,
                BarLow = seed.BarLow,
                BarVolume = seed.BarVolume,
            };
        }
        else if (seedDayEnds < DayEndsAt)
        {
            merged = this with { PreviousPrice = PreviousPrice ?? seed.Price };
        }
        else
        {
            var seedNewer = seed.Timestamp > Timestamp;
            merged = this with
            {
                Price = seedNewer ? seed.Price : Price,
                PreviousPrice = seedNewer ? seed.PreviousPrice : PreviousPrice ?? (seed.Timestamp < Timestamp ? seed.Price : seed.PreviousPrice),
                PreviousClose = PreviousClose ?? seed.PreviousClose,
                Open = seed.Open ?? Open,
                High = Max(High, seed.High),
                Low = Min(Low, seed.Low),
                Volume = Math.Max(Volume, seed.Volume),
                Vwap = seedNewer ? seed.Vwap ?? Vwap : Vwap ?? seed.Vwap,
                Timestamp = Math.Max(Timestamp, seed.Timestamp),
                // The bar goes with the price it closed at.
                BarOpen = seedNewer ? seed.BarOpen : BarOpen,
                BarHigh = seedNewer ? seed.BarHigh : BarHigh,
                BarLow = seedNewer ? seed.BarLow : BarLow,
                BarVolume = seedNewer ? seed.BarVolume : BarVolume,
            };
        }

        var seq = Math.Max(Seq, seed.Seq);
        var content = Content(merged.ToQuote());
        if (seq == seed.Seq && content != Content(seed)) seq++;
        else if (seq == Seq && HasPrice && content != Content(ToQuote())) seq++;
        return merged with { Seq = seq };
    }

    /// <summary>
    /// Takes in the provider's view of the day (a snapshot, as an aggregate over the day so far) without moving the price:
    /// the range widens to cover it, volume takes the larger, open and VWAP fill in when unknown. A snapshot of another
    /// trading day, or one before any price, changes nothing.
    /// </summary>
    public QuoteState WidenDay(AggregateBar day)
    {
        if (!HasPrice || MarketCalendar.DayEndMs(day.End) != DayEndsAt) return this;
        return this with
        {
            High = Max(High, day.High),
            Low = day.Low > 0 ? Min(Low, day.Low) : Low,
            Volume = Math.Max(Volume, day.AccumulatedVolume),
            Open = Open ?? (day.OfficialOpen > 0 ? day.OfficialOpen : null),
            Vwap = Vwap ?? (day.DayVwap > 0 ? day.DayVwap : null),
        };
    }

    public QuoteState WithPreviousClose(decimal previousClose) => this with { PreviousClose = previousClose };

    /// <summary>
    /// This state as the next update: what it says changed without a new aggregate (the provider's day came in). Its price is
    /// the one of the update before it, which is therefore its previous price.
    /// </summary>
    public QuoteState AsUpdate() => this with { Seq = Seq + 1, PreviousPrice = Price };

    /// <summary>The protocol's <c>quote</c>; null until the first price.</summary>
    public Quote? ToQuote(bool snapshot = false)
    {
        if (Price is not { } price) return null;
        var reference = PreviousClose ?? Open;
        decimal? change = reference is { } r ? price - r : null;
        decimal? changePercent = reference is { } b && b != 0 ? Math.Round(change!.Value / b * 100m, 4) : null;
        return new Quote
        {
            Symbol = Symbol,
            Price = price,
            PreviousPrice = PreviousPrice,
            Change = change,
            ChangePercent = changePercent,
            PreviousClose = PreviousClose,
            Open = Open,
            High = High,
            Low = Low,
            Volume = Volume,
            Vwap = Vwap,
            Timestamp = Timestamp,
            Seq = Seq,
            BarOpen = BarOpen,
            BarHigh = BarHigh,
            BarLow = BarLow,
            BarVolume = BarVolume,
            Snapshot = snapshot ? true : null,
        };
    }

    private QuoteState NewDay(long at) => this with
    {
        Open = null,
        High = null,
        Low = null,
        Volume = 0,
        Vwap = null,
        PreviousClose = HasPrice ? null : PreviousClose,
        DayEndsAt = MarketCalendar.DayEndMs(at),
    };

    /// <summary>What a quote says, without its place in the sequence and the fields derived from the rest.</summary>
    private static Quote? Content(Quote? quote) => quote is null ? null : quote with { Seq = 0, Snapshot = null, Source = null, Change = null, ChangePercent = null };

    private static decimal? Positive(decimal value) => value > 0 ? value : null;
    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    private static decimal? Min(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
