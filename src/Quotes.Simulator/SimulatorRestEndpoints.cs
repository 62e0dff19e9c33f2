using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quotes.Contracts;

namespace Quotes.Simulator;

/// <summary>
/// Polygon's REST paths that AkkaQuotes calls, in Polygon's exact shapes, answered from the simulated market. The key is
/// accepted as <c>apiKey</c> or <c>Authorization: Bearer</c>; list endpoints paginate with an absolute <c>next_url</c>.
/// </summary>
public static class SimulatorRestEndpoints
{
    public static IEndpointRouteBuilder MapPolygonRest(this IEndpointRouteBuilder app, string prefix = "")
    {
        var rest = app.MapGroup(prefix).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var market = http.RequestServices.GetRequiredService<MarketSimulator>();
            market.RecordRest(http.Request.Path, http.Request.QueryString.Value);
            var requestId = Guid.NewGuid().ToString("N");
            var key = KeyOf(http.Request);
            if (string.IsNullOrEmpty(key)) return Error(401, "ERROR", "API Key was not provided", requestId);
            if (!market.Options.Accepts(key)) return Error(401, "ERROR", "Unknown API Key", requestId);
            if (!market.Faults.TryTakeRestPermit())
                return Error(429, "ERROR", "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue.", requestId, retryAfter: 1);
            if (market.Faults.RestDelay > TimeSpan.Zero) await Task.Delay(market.Faults.RestDelay, http.RequestAborted);
            if (market.Faults.TryTakeRestFailure(http.Request.Path, out var status))
                return status == 429
                    ? Error(429, "ERROR", "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue.", requestId, retryAfter: 1)
                    : status is 401 or 403
                        ? Error(status, "NOT_AUTHORIZED", "You are not entitled to this data. Please upgrade your plan at https://massive.com/pricing", requestId)
                        : Error(status, "ERROR", "Service temporarily unavailable.", requestId);
            return await next(context);
        });

        rest.MapGet("/v2/aggs/ticker/{ticker}/prev", PreviousClose);
        rest.MapGet("/v2/snapshot/locale/us/markets/stocks/tickers", Snapshots);
        rest.MapGet("/v2/snapshot/locale/us/markets/stocks/tickers/{ticker}", Snapshot);
        rest.MapGet("/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}", Aggregates);
        rest.MapGet("/v3/reference/tickers", Tickers);
        rest.MapGet("/v1/marketstatus/now", () => Json(MarketStatus(DateTimeOffset.UtcNow)));
        rest.MapGet("/v3/reference/options/contracts", OptionContracts);
        rest.MapGet("/v3/snapshot/options/{underlyingAsset}", OptionChainSnapshot);
        return app;
    }

    private static IResult PreviousClose(string ticker, MarketSimulator market)
    {
        var body = Envelope(new JsonObject { ["ticker"] = ticker, ["adjusted"] = true });
        var results = new JsonArray();
        if (market.Knows(ticker))
        {
            var walk = market.Walk(ticker);
            var day = walk.PreviousDay;
            var start = MarketCalendar.FromNewYork(MarketCalendar.PreviousTradingDay(Today()).ToDateTime(TimeOnly.MinValue)).ToUnixTimeMilliseconds();
            results.Add(new JsonObject
            {
                ["T"] = ticker, ["v"] = (double)day.Volume, ["vw"] = Math.Round((day.High + day.Low + day.Close) / 3, 4), ["o"] = day.Open,
                ["c"] = day.Close, ["h"] = day.High, ["l"] = day.Low, ["t"] = start, ["n"] = 500_000,
            });
        }
        body["queryCount"] = results.Count;
        body["resultsCount"] = results.Count;
        body["count"] = results.Count;
        body["results"] = results;
        return Json(body);
    }

    private static IResult Snapshot(string ticker, MarketSimulator market)
    {
        if (!market.Knows(ticker)) return Error(404, "NOT_FOUND", "Data not found.");
        var body = Envelope(new JsonObject());
        body["ticker"] = TickerSnapshot(ticker, market.Walk(ticker));
        return Json(body);
    }

    /// <summary>
    /// The full-market snapshot: the known tickers of the case-sensitive <c>tickers</c> list in its order, unknown ones left
    /// out; without a list, the whole reference universe.
    /// </summary>
    private static IResult Snapshots(HttpRequest request, MarketSimulator market)
    {
        var asked = request.Query["tickers"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var symbols = asked.Length > 0 ? asked.Distinct(StringComparer.Ordinal).Where(market.Knows) : ReferenceTickers.All.Select(t => t.Symbol);
        var tickers = new JsonArray(symbols.Select(s => (JsonNode)TickerSnapshot(s, market.Walk(s))).ToArray());
        return Json(Envelope(new JsonObject { ["count"] = tickers.Count, ["tickers"] = tickers }));
    }

    /// <summary>One ticker's snapshot object, as the single-ticker and the full-market snapshots both carry it.</summary>
    private static JsonObject TickerSnapshot(string ticker, PriceWalk walk)
    {
        var day = walk.Day;
        var prev = walk.PreviousDay;
        var updatedMs = day.LastEnd > 0 ? day.LastEnd : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var change = day.Price - walk.PreviousClose;
        return new JsonObject
        {
            ["ticker"] = ticker,
            ["todaysChange"] = Math.Round(change, 4),
            ["todaysChangePerc"] = Math.Round(change / walk.PreviousClose * 100m, 4),
            ["updated"] = updatedMs * 1_000_000,
            ["day"] = new JsonObject { ["o"] = walk.Open, ["h"] = day.High, ["l"] = day.Low, ["c"] = day.Price, ["v"] = (double)day.Volume, ["vw"] = day.Vwap },
            ["prevDay"] = new JsonObject { ["o"] = prev.Open, ["h"] = prev.High, ["l"] = prev.Low, ["c"] = prev.Close, ["v"] = (double)prev.Volume, ["vw"] = Math.Round((prev.High + prev.Low + prev.Close) / 3, 4) },
            ["min"] = new JsonObject { ["av"] = day.Volume, ["o"] = day.Price, ["h"] = day.Price, ["l"] = day.Price, ["c"] = day.Price, ["v"] = 0, ["vw"] = day.Price, ["n"] = 0, ["t"] = updatedMs - updatedMs % 60_000 },
            ["lastTrade"] = new JsonObject { ["c"] = null, ["i"] = "1", ["p"] = day.Price, ["s"] = 100, ["t"] = updatedMs * 1_000_000, ["x"] = 4 },
        };
    }

    private static IResult Aggregates(string ticker, string multiplier, string timespan, string from, string to, HttpRequest request, MarketSimulator market)
    {
        if (!int.TryParse(multiplier, out var m) || m < 1) return Error(400, "ERROR", "Could not parse the multiplier.");
        if (timespan is not ("minute" or "hour" or "day" or "week" or "month")) return Error(400, "ERROR", "Unknown timespan.");
        if (!TryDate(from, out var start) || !TryDate(to, out var end)) return Error(400, "ERROR", "Could not parse the date range; use YYYY-MM-DD or Unix ms.");
        var page = Page.From(request, defaultLimit: 5000, maxLimit: 50_000);
        var sort = page.Query["sort"].ToString() == "desc" ? "desc" : "asc";

        var bars = market.Knows(ticker) ? market.History(ticker).Range(timespan, m, start, end, Today()).ToList() : [];
        if (sort == "desc") bars.Reverse();
        var slice = bars.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject { ["ticker"] = ticker, ["adjusted"] = true, ["queryCount"] = slice.Count, ["resultsCount"] = slice.Count, ["count"] = slice.Count });
        body["results"] = new JsonArray(slice.Select(b => (JsonNode)new JsonObject
        {
            ["v"] = (double)b.Volume, ["vw"] = b.Vwap, ["o"] = b.Open, ["c"] = b.Close, ["h"] = b.High, ["l"] = b.Low, ["t"] = b.Time, ["n"] = b.Transactions,
        }).ToArray());
        if (page.Offset + page.Limit < bars.Count) body["next_url"] = page.NextUrl(request, page.Offset + page.Limit, $"sort={sort}");
        return Json(body);
    }

    private static IResult Tickers(HttpRequest request)
    {
        var page = Page.From(request, defaultLimit: 100, maxLimit: 1000);
        var search = page.Query["search"].ToString();
        var exact = page.Query["ticker"].ToString();
        var market = page.Query["market"].ToString();
        var matches = ReferenceTickers.All
            .Where(t => string.IsNullOrEmpty(market) || market == "stocks")
            .Where(t => string.IsNullOrEmpty(exact) || t.Symbol == exact)
            .Where(t => string.IsNullOrEmpty(search) || t.Symbol.Contains(search, StringComparison.OrdinalIgnoreCase) || t.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Symbol, StringComparer.Ordinal)
            .ToList();
        var slice = matches.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject { ["count"] = slice.Count });
        body["results"] = new JsonArray(slice.Select(t => (JsonNode)new JsonObject
        {
            ["ticker"] = t.Symbol, ["name"] = t.Name, ["market"] = "stocks", ["locale"] = "us", ["primary_exchange"] = t.Exchange, ["type"] = t.Type,
            ["active"] = true, ["currency_name"] = "usd", ["last_updated_utc"] = "2026-11-01T00:00:00Z",
        }).ToArray());
        if (page.Offset + page.Limit < matches.Count)
            body["next_url"] = page.NextUrl(request, page.Offset + page.Limit, $"search={Uri.EscapeDataString(search)}&ticker={Uri.EscapeDataString(exact)}&market={Uri.EscapeDataString(market)}");
        return Json(body);
    }

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

    private static IResult OptionContracts(HttpRequest request, MarketSimulator market)
    {
        var page = Page.From(request, defaultLimit: 10, maxLimit: 1000);
        var underlying = page.Query["underlying_ticker"].ToString();
        var type = page.Query["contract_type"].ToString();
        var expiry = page.Query["expiration_date"].ToString();
        var chain = string.IsNullOrEmpty(underlying) || !market.Knows(underlying) ? [] : OptionChain.For(underlying, market.Walk(underlying).PreviousClose, Today())
            .Where(c => string.IsNullOrEmpty(type) || c.Type == type)
            .Where(c => string.IsNullOrEmpty(expiry) || c.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == expiry)
            .ToList();
        var slice = chain.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject());
        body["results"] = new JsonArray(slice.Select(c => (JsonNode)new JsonObject
        {
            ["cfi"] = c.Type == "call" ? "OCASPS" : "OPASPS", ["contract_type"] = c.Type, ["exercise_style"] = "american",
            ["expiration_date"] = c.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["primary_exchange"] = "BATO",
            ["shares_per_contract"] = 100, ["strike_price"] = c.Strike, ["ticker"] = c.Ticker, ["underlying_ticker"] = underlying,
        }).ToArray());
        if (page.Offset + page.Limit < chain.Count)
            body["next_url"] = page.NextUrl(request, page.Offset + page.Limit, $"underlying_ticker={Uri.EscapeDataString(underlying)}&contract_type={Uri.EscapeDataString(type)}&expiration_date={Uri.EscapeDataString(expiry)}");
        return Json(body);
    }

    /// <summary>The filters of the option chain snapshot, each carried into its <c>next_url</c>.</summary>
    private static readonly string[] ChainFilters =
    [
        "contract_type", "expiration_date", "expiration_date.gte", "expiration_date.gt", "expiration_date.lte", "expiration_date.lt",
        "strike_price", "strike_price.gte", "strike_price.gt", "strike_price.lte", "strike_price.lt", "order", "sort",
    ];

    /// <summary>
    /// Polygon's option chain snapshot: every contract on the underlying with its day, last quote and trade, Greeks, implied
    /// volatility, open interest and break-even, priced by <see cref="OptionQuote"/> from the simulator's own price for it.
    /// Filters by type, expiry and strike (ranges as <c>.gte</c>, <c>.gt</c>, <c>.lte</c>, <c>.lt</c>); sorted by
    /// <c>ticker</c> (default), <c>expiration_date</c> or <c>strike_price</c>; <c>limit</c> 1 to 250 (default 10). A bad
    /// filter value is 400, as Polygon answers it.
    /// </summary>
    private static IResult OptionChainSnapshot(string underlyingAsset, HttpRequest request, MarketSimulator market)
    {
        var page = Page.From(request, defaultLimit: 10, maxLimit: 250);
        var q = page.Query;
        var type = q["contract_type"].ToString();
        if (type is not ("" or "call" or "put")) return Error(400, "ERROR", "contract_type must be call or put.");
        if (!TryRange<decimal>(q, "strike_price", s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null, out var strikeIn)
            || !TryRange<DateOnly>(q, "expiration_date", s => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null, out var expiryIn))
            return Error(400, "ERROR", "Could not parse a strike_price or expiration_date filter.");

        var now = DateTimeOffset.UtcNow;
        var results = new List<OptionQuote>();
        if (market.Knows(underlyingAsset))
        {
            var walk = market.Walk(underlyingAsset);
            var underlying = new OptionQuote.Underlying(walk.Price, walk.Open, walk.PreviousClose, walk.DailyVolatility);
            results.AddRange(OptionChain.For(underlyingAsset, walk.PreviousClose, Today())
                .Where(c => (type == "" || c.Type == type) && strikeIn(c.Strike) && expiryIn(c.Expiry))
                .Select(c => OptionQuote.Of(c, underlying, now)));
        }
        IEnumerable<OptionQuote> sorted = q["sort"].ToString() switch
        {
            "expiration_date" => results.OrderBy(o => o.Contract.Expiry).ThenBy(o => o.Contract.Ticker, StringComparer.Ordinal),
            "strike_price" => results.OrderBy(o => o.Contract.Strike).ThenBy(o => o.Contract.Ticker, StringComparer.Ordinal),
            _ => results.OrderBy(o => o.Contract.Ticker, StringComparer.Ordinal),
        };
        if (q["order"].ToString() == "desc") sorted = sorted.Reverse();

        var slice = sorted.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject());
        body["results"] = new JsonArray(slice.Select(o => (JsonNode)ChainEntry(o, underlyingAsset, market.Walk(underlyingAsset))).ToArray());
        if (page.Offset + page.Limit < results.Count)
            body["next_url"] = page.NextUrl(request, page.Offset + page.Limit,
                string.Join('&', ChainFilters.Where(f => q.ContainsKey(f)).Select(f => $"{f}={Uri.EscapeDataString(q[f].ToString())}")));
        return Json(body);
    }

    /// <summary>One contract of the chain snapshot in Polygon's shape; times in Unix nanoseconds.</summary>
    private static JsonObject ChainEntry(OptionQuote o, string underlying, PriceWalk walk)
    {
        var c = o.Contract;
        var day = walk.Day;
        var updatedNs = (day.LastEnd > 0 ? day.LastEnd : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) * 1_000_000;
        var change = o.Last - o.PreviousClose;
        return new JsonObject
        {
            ["break_even_price"] = Math.Round(o.BreakEven, 4),
            ["day"] = new JsonObject
            {
                ["open"] = o.DayOpen, ["high"] = o.DayHigh, ["low"] = o.DayLow, ["close"] = o.Last, ["volume"] = o.Volume,
                ["vwap"] = Math.Round((o.DayOpen + o.DayHigh + o.DayLow + o.Last) / 4, 4), ["change"] = change,
                ["change_percent"] = o.PreviousClose > 0 ? Math.Round(change / o.PreviousClose * 100, 4) : 0m,
                ["previous_close"] = o.PreviousClose, ["last_updated"] = updatedNs,
            },
            ["details"] = new JsonObject
            {
                ["contract_type"] = c.Type, ["exercise_style"] = "american", ["expiration_date"] = c.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["shares_per_contract"] = 100, ["strike_price"] = c.Strike, ["ticker"] = c.Ticker,
            },
            ["greeks"] = new JsonObject
            {
                ["delta"] = Math.Round(o.Model.Delta, 6), ["gamma"] = Math.Round(o.Model.Gamma, 6), ["theta"] = Math.Round(o.Model.Theta, 6),
                ["vega"] = Math.Round(o.Model.Vega, 6),
            },
            ["implied_volatility"] = Math.Round(o.ImpliedVolatility, 6),
            ["last_quote"] = new JsonObject
            {
                ["ask"] = o.Ask, ["ask_size"] = 10 + o.OpenInterest % 90, ["bid"] = o.Bid, ["bid_size"] = 10 + o.Volume % 90, ["midpoint"] = o.Midpoint,
                ["last_updated"] = updatedNs, ["timeframe"] = "REAL-TIME",
            },
            ["last_trade"] = new JsonObject
            {
                ["price"] = o.Last, ["size"] = 1 + o.Volume % 20, ["sip_timestamp"] = updatedNs, ["exchange"] = 65, ["timeframe"] = "REAL-TIME",
            },
            ["open_interest"] = o.OpenInterest,
            ["underlying_asset"] = new JsonObject
            {
                ["price"] = day.Price, ["ticker"] = underlying, ["change_to_break_even"] = Math.Round(o.BreakEven - day.Price, 4),
                ["last_updated"] = updatedNs, ["timeframe"] = "REAL-TIME",
            },
        };
    }

    /// <summary>
    /// The test of a field's filter: <c>name</c> (equal), <c>name.gte</c>, <c>name.gt</c>, <c>name.lte</c>, <c>name.lt</c>, all
    /// that are given; false when one does not parse.
    /// </summary>
    private static bool TryRange<T>(IQueryCollection query, string name, Func<string, T?> parse, out Func<T, bool> test) where T : struct, IComparable<T>
    {
        var bounds = new List<(string Op, T Value)>();
        test = _ => true;
        foreach (var op in new[] { "", ".gte", ".gt", ".lte", ".lt" })
        {
            var text = query[name + op].ToString();
            if (text.Length == 0) continue;
            if (parse(text) is not { } value) return false;
            bounds.Add((op, value));
        }
        test = v => bounds.All(b => b.Op switch
        {
            ".gte" => v.CompareTo(b.Value) >= 0,
            ".gt" => v.CompareTo(b.Value) > 0,
            ".lte" => v.CompareTo(b.Value) <= 0,
            ".lt" => v.CompareTo(b.Value) < 0,
            _ => v.CompareTo(b.Value) == 0,
        });
        return true;
    }

    /// <summary>Offset pagination behind an opaque <c>cursor</c>, as Polygon's <c>next_url</c> carries it.</summary>
    /// <summary>Offset and limit, and the query the page was asked with: the request's own, or the one packed in its cursor.</summary>
    private readonly record struct Page(int Offset, int Limit, IQueryCollection Query)
    {
        public static Page From(HttpRequest request, int defaultLimit, int maxLimit)
        {
            var query = request.Query;
            var cursor = query["cursor"].ToString();
            if (!string.IsNullOrEmpty(cursor))
            {
                try
                {
                    query = new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(
                        Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')))));
                }
                catch (FormatException) { }
            }
            var limit = int.TryParse(query["limit"], out var l) ? Math.Clamp(l, 1, maxLimit) : defaultLimit;
            var offset = int.TryParse(query["offset"], out var o) ? Math.Max(0, o) : 0;
            return new Page(offset, limit, query);
        }

        public string NextUrl(HttpRequest request, int offset, string carried)
        {
            var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset={offset}&limit={Limit}&{carried}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?cursor={cursor}";
        }
    }

    private static DateOnly Today() => DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));

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

    private static JsonObject Envelope(JsonObject body)
    {
        body["status"] = "OK";
        body["request_id"] = Guid.NewGuid().ToString("N");
        return body;
    }

    private static IResult Json(JsonNode body) => Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8);

    /// <summary>Polygon's error bodies: <c>ERROR</c> uses the key <c>error</c>, the others <c>message</c>.</summary>
    private static IResult Error(int status, string kind, string text, string? requestId = null, int? retryAfter = null)
    {
        var body = new JsonObject { ["status"] = kind, ["request_id"] = requestId ?? Guid.NewGuid().ToString("N"), [kind == "ERROR" ? "error" : "message"] = text };
        return new PolygonErrorResult(status, body.ToJsonString(), retryAfter);
    }

    private sealed class PolygonErrorResult(int status, string body, int? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return context.Response.WriteAsync(body);
        }
    }

    private static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : request.Query["apiKey"].ToString();
    }
}
