using static Quotes.Simulator.Rest.PolygonRest;

namespace Quotes.Simulator.Rest;

/// <summary>Polygon's reference data: ticker search over the reference universe, and the market status.</summary>
internal static class ReferenceEndpoints
{
    internal static IResult MarketStatusNow() => Json(MarketStatus(DateTimeOffset.UtcNow));

    internal static IResult Tickers(HttpRequest request)
    {
        if (!Page.TryFrom(request, defaultLimit: 100, maxLimit: 1000, out var page, out var error)) return error;
        var search = page.Query["search"].ToString();
        var exact = page.Query["ticker"].ToString();
        var market = page.Query["market"].ToString();
        if (!TryChoice(page.Query, "sort", TickerSorts, out var sort, out error) || !TryChoice(page.Query, "order", Directions, out var order, out error))
            return error;
        var filtered = ReferenceTickers.All
            .Where(t => string.IsNullOrEmpty(market) || market == "stocks")
            .Where(t => string.IsNullOrEmpty(exact) || t.Symbol == exact)
            .Where(t => string.IsNullOrEmpty(search) || t.Symbol.Contains(search, StringComparison.OrdinalIgnoreCase) || t.Name.Contains(search, StringComparison.OrdinalIgnoreCase));
        // Fields every simulated ticker has alike (market, locale, currency, update time) or none has (cik, FIGIs) sort by ticker.
        var sorted = sort switch
        {
            "name" => filtered.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Symbol, StringComparer.Ordinal),
            "primary_exchange" => filtered.OrderBy(t => t.Exchange, StringComparer.Ordinal).ThenBy(t => t.Symbol, StringComparer.Ordinal),
            "type" => filtered.OrderBy(t => t.Type, StringComparer.Ordinal).ThenBy(t => t.Symbol, StringComparer.Ordinal),
            _ => filtered.OrderBy(t => t.Symbol, StringComparer.Ordinal),
        };
        var matches = (order == "desc" ? sorted.Reverse() : sorted).ToList();
        var slice = matches.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject { ["count"] = slice.Count });
        body["results"] = new JsonArray(slice.Select(t => (JsonNode)new JsonObject
        {
            ["ticker"] = t.Symbol, ["name"] = t.Name, ["market"] = "stocks", ["locale"] = "us", ["primary_exchange"] = t.Exchange, ["type"] = t.Type,
            ["active"] = true, ["currency_name"] = "usd", ["last_updated_utc"] = "2026-11-01T00:00:00Z",
        }).ToArray());
        if (page.Offset + page.Limit < matches.Count)
            body["next_url"] = page.NextUrl(request, page.Offset + page.Limit, $"search={Uri.EscapeDataString(search)}&ticker={Uri.EscapeDataString(exact)}&market={Uri.EscapeDataString(market)}&sort={sort}&order={order}");
        return Json(body);
    }

    /// <summary>The fields Polygon's ticker list sorts by.</summary>
    private static readonly string[] TickerSorts =
    [
        "ticker", "name", "market", "locale", "primary_exchange", "type", "currency_symbol", "currency_name", "base_currency_symbol",
        "base_currency_name", "cik", "composite_figi", "share_class_figi", "last_updated_utc", "delisted_utc",
    ];

    /// <summary>Polygon's market status (no envelope), computed from the NYSE calendar.</summary>
    public static JsonObject MarketStatus(DateTimeOffset utc)
    {
        var state = MarketCalendar.StateAt(utc);
        var local = MarketCalendar.ToNewYork(utc);
        var offset = MarketCalendar.FromNewYork(local).Offset;
        var early = state == MarketStates.ExtendedHours && local.TimeOfDay < new TimeSpan(9, 30, 0);
        return new JsonObject
        {
            ["afterHours"] = state == MarketStates.ExtendedHours && !early,
            ["currencies"] = new JsonObject { ["crypto"] = "open", ["fx"] = local.DayOfWeek is DayOfWeek.Saturday ? "closed" : "open" },
            ["earlyHours"] = early,
            ["exchanges"] = new JsonObject { ["nasdaq"] = state, ["nyse"] = state, ["otc"] = state == MarketStates.Open ? "open" : "closed" },
            ["market"] = state,
            ["serverTime"] = new DateTimeOffset(local, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        };
    }
}
