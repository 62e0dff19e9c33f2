using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>
/// REST quotes made from the provider's answers, for a symbol nobody streams: its snapshot of the day (<c>snapshot</c>), or
/// the previous session's bar (<c>previous-close</c>). Neither carries a <c>seq</c> or bar fields.
/// </summary>
public static class ProviderQuotes
{
    /// <summary>
    /// The quote a snapshot with a price tells (<see cref="PolygonRestClient.LastPrice"/> above 0). Open, high, low, VWAP and
    /// previous close are null where the snapshot has none or 0 (<see cref="SnapshotBarValues"/>): early in the morning,
    /// before the day's first trades, Polygon's <c>day</c> may hold zeros.
    /// </summary>
    public static Quote FromSnapshot(string symbol, PolygonTickerSnapshot t)
    {
        var price = PolygonRestClient.LastPrice(t);
        var previousClose = t.PrevDay.KnownClose();
        var change = previousClose is { } pc ? price - pc : t.TodaysChange;
        return new Quote
        {
            Symbol = symbol, Price = price, Change = change,
            ChangePercent = previousClose is { } b ? Math.Round(change!.Value / b * 100m, 4) : t.TodaysChangePerc,
            PreviousClose = previousClose, Open = t.Day.KnownOpen(), High = t.Day.KnownHigh(), Low = t.Day.KnownLow(),
            Volume = (long)(t.Day?.Volume ?? 0), Vwap = t.Day.KnownVwap(), Timestamp = t.Updated / 1_000_000, Source = QuoteSources.Snapshot,
        };
    }

    /// <summary>The quote the previous session's bar tells: its close as the price.</summary>
    public static Quote FromPreviousDay(string symbol, PolygonAggBar bar) => new()
    {
        Symbol = symbol, Price = bar.Close, Open = bar.Open, High = bar.High, Low = bar.Low, Volume = (long)bar.Volume, Vwap = bar.Vwap,
        Timestamp = bar.Time, Source = QuoteSources.PreviousClose,
    };
}
