using static Quotes.Simulator.Rest.PolygonRest;

namespace Quotes.Simulator.Rest;

/// <summary>
/// Polygon's options: the contracts listed (on an underlying, or on every one), and the chain and single-contract snapshots
/// priced from the simulated market. Only contracts not yet expired are listed (<see cref="OptionChain.Expiries"/>).
/// </summary>
internal static class OptionEndpoints
{
    /// <summary>
    /// Polygon's contracts reference: the contracts listed on <c>underlying_ticker</c>, or without it on every underlying of
    /// the reference universe, as Polygon lists them all; filtered by type, expiry and strike (ranges as <c>.gte</c>,
    /// <c>.gt</c>, <c>.lte</c>, <c>.lt</c>, as the chain snapshot's); <c>limit</c> 1 to 1,000 (default 10).
    /// </summary>
    internal static IResult OptionContracts(HttpRequest request, MarketSimulator market)
    {
        if (!Page.TryFrom(request, defaultLimit: 10, maxLimit: 1000, out var page, out var error)) return error;
        var q = page.Query;
        if (!ContractOrder.TryFrom(q, ContractOrder.ContractSorts, out var order, out error)) return error;
        var underlying = q["underlying_ticker"].ToString();
        var type = q["contract_type"].ToString();
        if (type is not ("" or "call" or "put")) return Error(400, "ERROR", "contract_type must be call or put.");
        if (!TryFilters(q, out var strikeIn, out var expiryIn)) return Error(400, "ERROR", "Could not parse a strike_price or expiration_date filter.");
        var now = DateTimeOffset.UtcNow;
        IEnumerable<OptionChain.Contract> candidates = string.IsNullOrEmpty(underlying) ? AllContracts.At(market, now)
            : market.Knows(underlying) ? OptionChain.For(underlying, TodaysWalk(market, underlying).PreviousClose, now) : [];
        var listed = candidates
            .Where(c => (type == "" || c.Type == type) && strikeIn(c.Strike) && expiryIn(c.Expiry));
        var chain = order.Apply(listed, c => c).ToList();
        var slice = chain.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject());
        body["results"] = new JsonArray(slice.Select(c => (JsonNode)new JsonObject
        {
            ["cfi"] = c.Type == "call" ? "OCASPS" : "OPASPS", ["contract_type"] = c.Type, ["exercise_style"] = "american",
            ["expiration_date"] = c.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["primary_exchange"] = "BATO",
            ["shares_per_contract"] = 100, ["strike_price"] = c.Strike, ["ticker"] = c.Ticker, ["underlying_ticker"] = c.Underlying,
        }).ToArray());
        if (page.Offset + page.Limit < chain.Count)
            body["next_url"] = page.NextUrl(request, page.Offset + page.Limit,
                string.Join('&', ContractFilters.Where(f => q.ContainsKey(f)).Select(f => $"{f}={Uri.EscapeDataString(q[f].ToString())}")));
        return Json(body);
    }

    /// <summary>The filters of the contracts reference, each carried into its <c>next_url</c>.</summary>
    private static readonly string[] ContractFilters =
    [
        "underlying_ticker", "contract_type", "expiration_date", "expiration_date.gte", "expiration_date.gt", "expiration_date.lte", "expiration_date.lt",
        "strike_price", "strike_price.gte", "strike_price.gt", "strike_price.lte", "strike_price.lt", "order", "sort",
    ];

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
    internal static IResult OptionChainSnapshot(string underlyingAsset, HttpRequest request, MarketSimulator market)
    {
        if (!Page.TryFrom(request, defaultLimit: 10, maxLimit: 250, out var page, out var error)) return error;
        var q = page.Query;
        if (!ContractOrder.TryFrom(q, ContractOrder.ChainSorts, out var order, out error)) return error;
        var type = q["contract_type"].ToString();
        if (type is not ("" or "call" or "put")) return Error(400, "ERROR", "contract_type must be call or put.");
        if (!TryFilters(q, out var strikeIn, out var expiryIn)) return Error(400, "ERROR", "Could not parse a strike_price or expiration_date filter.");

        var now = DateTimeOffset.UtcNow;
        var results = new List<OptionQuote>();
        if (market.Knows(underlyingAsset))
        {
            var walk = TodaysWalk(market, underlyingAsset);
            results.AddRange(OptionChain.For(underlyingAsset, walk.PreviousClose, now)
                .Where(c => (type == "" || c.Type == type) && strikeIn(c.Strike) && expiryIn(c.Expiry))
                .Select(c => OptionQuote.Of(c, UnderlyingOf(walk), now)));
        }
        var sorted = order.Apply(results, o => o.Contract);

        var slice = sorted.Skip(page.Offset).Take(page.Limit).ToList();
        var body = Envelope(new JsonObject());
        body["results"] = new JsonArray(slice.Select(o => (JsonNode)ChainEntry(o, underlyingAsset, market.Walk(underlyingAsset))).ToArray());
        if (page.Offset + page.Limit < results.Count)
            body["next_url"] = page.NextUrl(request, page.Offset + page.Limit,
                string.Join('&', ChainFilters.Where(f => q.ContainsKey(f)).Select(f => $"{f}={Uri.EscapeDataString(q[f].ToString())}")));
        return Json(body);
    }

    /// <summary>
    /// Polygon's single-contract snapshot: one listed, unexpired contract on the underlying, <c>results</c> one object shaped
    /// as each of the chain snapshot's; a contract not listed there (unknown, expired, or on another underlying) is 404.
    /// </summary>
    internal static IResult OptionContractSnapshot(string underlyingAsset, string optionContract, MarketSimulator market)
    {
        var now = DateTimeOffset.UtcNow;
        var walk = market.Knows(underlyingAsset) ? TodaysWalk(market, underlyingAsset) : null;
        var contract = walk is null ? null : OptionChain.For(underlyingAsset, walk.PreviousClose, now).FirstOrDefault(c => c.Ticker == optionContract);
        if (walk is null || contract is null) return Error(404, "NOT_FOUND", "Option Ticker not found.");
        var body = Envelope(new JsonObject());
        body["results"] = ChainEntry(OptionQuote.Of(contract, UnderlyingOf(walk), now), underlyingAsset, walk);
        return Json(body);
    }

    private static OptionQuote.Underlying UnderlyingOf(PriceWalk walk) => new(walk.Price, walk.Open, walk.PreviousClose, walk.DailyVolatility);

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

    /// <summary>The strike and expiry filters of both option endpoints; false when one does not parse.</summary>
    private static bool TryFilters(IQueryCollection q, out Func<decimal, bool> strikeIn, out Func<DateOnly, bool> expiryIn)
    {
        expiryIn = _ => true;
        return TryRange(q, "strike_price", s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null, out strikeIn)
            && TryRange(q, "expiration_date", s => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null, out expiryIn);
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
}
