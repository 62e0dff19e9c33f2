using static Quotes.Simulator.Rest.PolygonRest;

namespace Quotes.Simulator.Rest;

/// <summary>Polygon's stock snapshots: one ticker, or the full market narrowed by a <c>tickers</c> list.</summary>
internal static class SnapshotEndpoints
{
    internal static IResult Snapshot(string ticker, MarketSimulator market)
    {
        if (!market.Knows(ticker)) return Error(404, "NOT_FOUND", "Data not found.");
        var body = Envelope(new JsonObject());
        body["ticker"] = TickerSnapshot(ticker, TodaysWalk(market, ticker));
        return Json(body);
    }

    /// <summary>
    /// The full-market snapshot: the known tickers of the case-sensitive <c>tickers</c> list in its order, unknown ones left
    /// out; without a list, the whole reference universe.
    /// </summary>
    internal static IResult Snapshots(HttpRequest request, MarketSimulator market)
    {
        var asked = request.Query["tickers"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var symbols = asked.Length > 0 ? asked.Distinct(StringComparer.Ordinal).Where(market.Knows) : ReferenceTickers.All.Select(t => t.Symbol);
        var tickers = new JsonArray(symbols.Select(s => (JsonNode)TickerSnapshot(s, TodaysWalk(market, s))).ToArray());
        return Json(Envelope(new JsonObject { ["count"] = tickers.Count, ["tickers"] = tickers }));
    }

    /// <summary>
    /// One ticker's snapshot object, as the single-ticker and the full-market snapshots both carry it: <c>day</c> is the
    /// walk's day so far, <c>prevDay</c> the day before it (<see cref="PriceWalk.PreviousDay"/>).
    /// </summary>
    private static JsonObject TickerSnapshot(string ticker, PriceWalk walk)
    {
        var day = walk.Day;
        var prev = walk.PreviousDay;
        var updatedMs = day.LastEnd > 0 ? day.LastEnd : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var change = day.Price - prev.Close;
        return new JsonObject
        {
            ["ticker"] = ticker,
            ["todaysChange"] = Math.Round(change, 4),
            ["todaysChangePerc"] = Math.Round(change / prev.Close * 100m, 4),
            ["updated"] = updatedMs * 1_000_000,
            ["day"] = new JsonObject { ["o"] = day.Open, ["h"] = day.High, ["l"] = day.Low, ["c"] = day.Price, ["v"] = (double)day.Volume, ["vw"] = day.Vwap },
            ["prevDay"] = new JsonObject { ["o"] = prev.Open, ["h"] = prev.High, ["l"] = prev.Low, ["c"] = prev.Close, ["v"] = (double)prev.Volume, ["vw"] = prev.Vwap },
            ["min"] = new JsonObject { ["av"] = day.Volume, ["o"] = day.Price, ["h"] = day.Price, ["l"] = day.Price, ["c"] = day.Price, ["v"] = 0, ["vw"] = day.Price, ["n"] = 0, ["t"] = updatedMs - updatedMs % 60_000 },
            ["lastTrade"] = new JsonObject { ["c"] = null, ["i"] = "1", ["p"] = day.Price, ["s"] = 100, ["t"] = updatedMs * 1_000_000, ["x"] = 4 },
        };
    }
}
