using Quotes.Actors.Polygon;
using Quotes.Contracts;

namespace Quotes.Actors.Symbols;

/// <summary>
/// One symbol's live state, built from upstream aggregates. Immutable and free of actors, so its arithmetic is
/// tested directly. Change is derived at read time, so a previous close that arrives late fixes every later quote.
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
    public long Timestamp { get; private init; }

    /// <summary>Start of the newest aggregate window applied (POLYGON.md §1.11: bars are keyed by their start).</summary>
    public long WindowStart { get; private init; }

    /// <summary>Updates applied so far; the <c>seq</c> of the latest quote.</summary>
    public long Seq { get; private init; }

    public bool HasPrice => Price is not null;

    /// <summary>
    /// Applies <paramref name="bar"/>, or returns this same instance when the bar is for an older window than the newest
    /// applied (a late bar never overwrites a newer price). A re-sent bar for the newest window replaces it.
    /// </summary>
    public QuoteState Apply(AggregateBar bar)
    {
        if (Seq > 0 && bar.Start < WindowStart) return this;

        return this with
        {
            PreviousPrice = Price,
            Price = bar.Close,
            Open = bar.OfficialOpen > 0 ? bar.OfficialOpen : Open ?? bar.Open,
            High = High is { } high ? Math.Max(high, bar.High) : bar.High,
            Low = Low is { } low ? Math.Min(low, bar.Low) : bar.Low,
            Volume = bar.AccumulatedVolume > 0 ? bar.AccumulatedVolume : Volume + bar.Volume,
            Vwap = bar.DayVwap > 0 ? bar.DayVwap : Vwap,
            Timestamp = bar.End,
            WindowStart = bar.Start,
            Seq = Seq + 1,
        };
    }

    public QuoteState WithPreviousClose(decimal previousClose) => this with { PreviousClose = previousClose };

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
            Snapshot = snapshot ? true : null,
        };
    }
}
