using Quotes.Contracts;
using Quotes.Host.Auth;

namespace Quotes.Host.Api;

/// <summary>The REST API under <c>/api/market</c> (PROTOCOL.md, REST): key required, per-key rate limit, one error mapping.</summary>
public static class MarketApi
{
    private static readonly QuotesJsonContext Json = QuotesJsonContext.Default;

    public static IEndpointRouteBuilder MapMarketApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/market")
            .RequireAuthorization(QuotesAuth.ClientPolicy)
            .RequireRateLimiting(RateLimits.PerKey)
            .AddEndpointFilter(ApiErrors.Filter)
            .WithTags("market");

        api.MapGet("/quote/{symbol}", async (string symbol, MarketData data, HttpContext http, CancellationToken ct) =>
            {
                var valid = MarketQueries.Symbol(symbol);
                var quote = await data.QuoteAsync(valid, RateLimits.CallerOf(http), ct) ?? throw ApiError.NotFound($"no quote for {valid}");
                return Results.Json(new RestSuccess<Quote>(quote), Json.RestSuccessQuote);
            })
            .WithName("GetQuote").WithSummary("One symbol's quote: live from the server, else the provider's snapshot, else the previous close.")
            .Produces<RestSuccess<Quote>>().ProducesErrors().Produces<RestError>(404);

        api.MapGet("/quotes", async (string? symbols, QueryLimits limits, MarketData data, HttpContext http, CancellationToken ct) =>
            {
                var valid = MarketQueries.Symbols(symbols, limits);
                var quotes = await data.QuotesAsync(valid, RateLimits.CallerOf(http), ct);
                return Results.Json(new RestSuccess<Quote[]>(quotes.OfType<Quote>().ToArray()), Json.RestSuccessQuoteArray);
            })
            .WithName("GetQuotes").WithSummary("Quotes for up to 50 comma-separated symbols; unknown symbols are left out.")
            .Produces<RestSuccess<Quote[]>>().ProducesErrors();

        api.MapGet("/historical/{symbol}", async (string symbol, string? from, string? to, string? timespan, string? multiplier, QueryLimits limits, MarketData data, HttpContext http, CancellationToken ct) =>
                Results.Json(new RestSuccess<HistoricalBars>(await data.HistoryAsync(MarketQueries.History(symbol, from, to, timespan, multiplier, limits), RateLimits.CallerOf(http), ct)), Json.RestSuccessHistoricalBars))
            .WithName("GetHistorical").WithSummary("OHLCV bars in ascending time; the whole range, however many provider pages it takes.")
            .Produces<RestSuccess<HistoricalBars>>().ProducesErrors();

        api.MapGet("/search", async (string? q, string? limit, QueryLimits limits, MarketData data, HttpContext http, CancellationToken ct) =>
            {
                var (query, n) = MarketQueries.Search(q, limit, limits);
                return Results.Json(new RestSuccess<TickerMatch[]>((await data.SearchAsync(query, n, RateLimits.CallerOf(http), ct)).ToArray()), Json.RestSuccessTickerMatchArray);
            })
            .WithName("SearchSymbols").WithSummary("Symbols whose ticker or company name matches q.")
            .Produces<RestSuccess<TickerMatch[]>>().ProducesErrors();

        api.MapGet("/status", async (MarketData data, HttpContext http, CancellationToken ct) =>
                Results.Json(new RestSuccess<MarketStatusData>(await data.StatusAsync(RateLimits.CallerOf(http), ct)), Json.RestSuccessMarketStatusData))
            .WithName("GetMarketStatus").WithSummary("Whether the US market is open, closed or in extended hours.")
            .Produces<RestSuccess<MarketStatusData>>().ProducesErrors();

        api.MapGet("/options/{symbol}", async (string symbol, string? expiry, string? type, string? strikeMin, string? strikeMax, QueryLimits limits, MarketData data, HttpContext http,
                CancellationToken ct) =>
            {
                var query = MarketQueries.Options(symbol, expiry, type, strikeMin, strikeMax);
                return Results.Json(new RestSuccess<OptionContractData[]>((await data.OptionsAsync(query, limits.MaxOptionContracts, RateLimits.CallerOf(http), ct)).ToArray()),
                    Json.RestSuccessOptionContractDataArray);
            })
            .WithName("GetOptions")
            .WithSummary("The option chain on the symbol with each contract's bid, ask, last, IV, Greeks and open interest, by expiry, strike and type; " +
                         "filter by expiry (YYYY-MM-DD), type (call|put) and strikeMin/strikeMax.")
            .Produces<RestSuccess<OptionContractData[]>>().ProducesErrors();

        api.MapGet("/options/{symbol}/expirations", async (string symbol, MarketData data, HttpContext http, CancellationToken ct) =>
                Results.Json(new RestSuccess<string[]>((await data.ExpirationsAsync(MarketQueries.Symbol(symbol), RateLimits.CallerOf(http), ct)).ToArray()), Json.RestSuccessStringArray))
            .WithName("GetOptionExpirations").WithSummary("Every expiration date (YYYY-MM-DD) of the symbol's option chain, ascending.")
            .Produces<RestSuccess<string[]>>().ProducesErrors();

        return app;
    }

    private static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<RestError>(StatusCodes.Status400BadRequest)
        .Produces<RestError>(StatusCodes.Status401Unauthorized)
        .Produces<RestError>(StatusCodes.Status429TooManyRequests)
        .Produces<RestError>(StatusCodes.Status502BadGateway)
        .Produces<RestError>(StatusCodes.Status503ServiceUnavailable);
}
