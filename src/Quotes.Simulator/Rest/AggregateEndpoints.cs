using static Quotes.Simulator.Rest.PolygonRest;

namespace Quotes.Simulator.Rest;

/// <summary>Polygon's aggregates: a ticker's previous day, every ticker's bar of one day (grouped), and a ticker's bars over a date range.</summary>
internal static class AggregateEndpoints
{
    internal static IResult PreviousClose(string ticker, HttpRequest request, MarketSimulator market)
    {
        var body = Envelope(new JsonObject { ["ticker"] = ticker, ["adjusted"] = Adjusted(request) });
        var results = new JsonArray();
        if (market.Knows(ticker)) results.Add(PreviousDayBar(ticker, market));
        body["queryCount"] = results.Count;
        body["resultsCount"] = results.Count;
        body["count"] = results.Count;
        body["results"] = results;
        return Json(body);
    }

    /// <summary>
    /// Grouped daily bars: every ticker of the reference universe, its bar of <paramref name="date"/>. The last session's bar
    /// is the one <c>/prev</c> answers when that is the walk's day before today (it may be a weekend day the walk traded),
    /// other sessions' come from the ticker's history; a day that is no trading day, today or later has no bars
    /// (<c>resultsCount</c> 0 and no <c>results</c>, as Polygon answers a weekend).
    /// </summary>
    internal static IResult Grouped(string date, HttpRequest request, MarketSimulator market)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Error(400, "ERROR", "Could not parse the date; use YYYY-MM-DD.");
        var today = Today();
        var lastSession = MarketCalendar.PreviousTradingDay(today);
        var symbols = MarketCalendar.IsTradingDay(day) && day <= lastSession ? ReferenceTickers.All.Select(t => t.Symbol) : [];
        var bars = new JsonArray(symbols.Select(s => (JsonNode)(day == lastSession && TodaysWalk(market, s).PreviousDay.Date == day
            ? PreviousDayBar(s, market)
            : HistoricalBar(s, day, today, market))).ToArray());
        var body = Envelope(new JsonObject { ["queryCount"] = bars.Count, ["resultsCount"] = bars.Count, ["adjusted"] = Adjusted(request) });
        if (bars.Count > 0) body["results"] = bars;
        return Json(body);
    }

    /// <summary>
    /// The ticker's walk's day before today (<see cref="PriceWalk.PreviousDay"/>), as <c>/prev</c> and the grouped bars of
    /// that day both carry it.
    /// </summary>
    private static JsonObject PreviousDayBar(string ticker, MarketSimulator market)
    {
        var day = TodaysWalk(market, ticker).PreviousDay;
        var date = day.Date ?? MarketCalendar.PreviousTradingDay(Today());
        var start = PriceHistory.DayBarTime(date);
        return new JsonObject
        {
            ["T"] = ticker, ["v"] = (double)day.Volume, ["vw"] = day.Vwap, ["o"] = day.Open,
            ["c"] = day.Close, ["h"] = day.High, ["l"] = day.Low, ["t"] = start, ["n"] = day.Transactions,
        };
    }

    private static JsonObject HistoricalBar(string ticker, DateOnly day, DateOnly today, MarketSimulator market)
    {
        var b = market.History(ticker).Range("day", 1, day, day, today).Single();
        return new JsonObject
        {
            ["T"] = ticker, ["v"] = (double)b.Volume, ["vw"] = b.Vwap, ["o"] = b.Open, ["c"] = b.Close, ["h"] = b.High, ["l"] = b.Low, ["t"] = b.Time, ["n"] = b.Transactions,
        };
    }

    internal static IResult Aggregates(string ticker, string multiplier, string timespan, string from, string to, HttpRequest request, MarketSimulator market)
    {
        if (!int.TryParse(multiplier, out var m) || m < 1) return Error(400, "ERROR", "Could not parse the multiplier.");
        if (timespan is not ("minute" or "hour" or "day" or "week" or "month" or "quarter" or "year")) return Error(400, "ERROR", "Unknown timespan.");
        if (!TryDate(from, out var start) || !TryDate(to, out var end)) return Error(400, "ERROR", "Could not parse the date range; use YYYY-MM-DD or Unix ms.");
        if (!Page.TryFrom(request, defaultLimit: 5000, maxLimit: 50_000, out var page, out var error)) return error;
        if (!TryChoice(page.Query, "sort", Directions, out var sort, out error)) return error;

        var bars = market.Knows(ticker) ? market.History(ticker).Range(timespan, m, start, end, Today()).ToList() : [];
        if (sort == "desc") bars.Reverse();
        var slice = bars.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject { ["ticker"] = ticker, ["adjusted"] = Adjusted(request), ["queryCount"] = slice.Count, ["resultsCount"] = slice.Count, ["count"] = slice.Count });
        body["results"] = new JsonArray(slice.Select(b => (JsonNode)new JsonObject
        {
            ["v"] = (double)b.Volume, ["vw"] = b.Vwap, ["o"] = b.Open, ["c"] = b.Close, ["h"] = b.High, ["l"] = b.Low, ["t"] = b.Time, ["n"] = b.Transactions,
        }).ToArray());
        if (page.Offset + page.Limit < bars.Count) body["next_url"] = page.NextUrl(request, page.Offset + page.Limit, $"sort={sort}");
        return Json(body);
    }

    /// <summary>
    /// The <c>adjusted</c> flag the request asked for (Polygon's default: true), echoed as Polygon does. The simulated
    /// tickers never split, so adjusted and unadjusted bars are the same.
    /// </summary>
    private static bool Adjusted(HttpRequest request) => !string.Equals(request.Query["adjusted"], "false", StringComparison.OrdinalIgnoreCase);

    private static bool TryDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return true;
        if (long.TryParse(text, out var ms) && ms > 0)
        {
            date = DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.FromUnixTimeMilliseconds(ms)));
            return true;
        }
        return false;
    }
}
