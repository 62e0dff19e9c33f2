using Microsoft.AspNetCore.Http.HttpResults;
using Quotes.Contracts;
using Quotes.Host.Auth;

namespace Quotes.Host.Api;

/// <summary>
/// The REST API under <c>/api/market</c> (PROTOCOL.md, REST): the client policy, a per-key rate limit, one error mapping.
/// Each endpoint is a named handler returning typed results: its data, or the refusal its validation returned.
/// </summary>
public static class MarketApi
{
    public static IEndpointRouteBuilder MapMarketApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/market")
            .RequireAuthorization(QuotesAuth.ClientPolicy)
            .RequirePerKeyRateLimit()
            .AddEndpointFilter(ApiErrors.Filter) // the provider's failures
            .WithTags("market");

        api.MapGet("/quote/{symbol}", GetQuoteAsync)
            .WithName("GetQuote").WithSummary("One symbol's quote: live from the server, else the provider's snapshot, else the previous close.")
            .ProducesErrors().Produces<RestError>(StatusCodes.Status404NotFound);
        api.MapGet("/quotes", GetQuotesAsync)
            .WithName("GetQuotes").WithSummary("Quotes for up to 50 comma-separated symbols; unknown symbols are left out.")
            .ProducesErrors();
        api.MapGet("/historical/{symbol}", GetHistoricalAsync)
            .WithName("GetHistorical").WithSummary("OHLCV bars in ascending time; the whole range, however many provider pages it takes.")
            .ProducesErrors();
        api.MapGet("/search", SearchSymbolsAsync)
            .WithName("SearchSymbols").WithSummary("Symbols whose ticker or company name matches q.")
            .ProducesErrors();
        api.MapGet("/status", GetMarketStatusAsync)
            .WithName("GetMarketStatus").WithSummary("Whether the US market is open, closed or in extended hours.")
            .ProducesErrors();
        api.MapGet("/options/{symbol}", GetOptionsAsync)
            .WithName("GetOptions")
            .WithSummary("The option chain on the symbol with each contract's bid, ask, last, IV, Greeks and open interest, by expiry, strike and type; " +
                         "filter by expiry (YYYY-MM-DD), type (call|put) and strikeMin/strikeMax.")
            .ProducesErrors();
        api.MapGet("/options/{symbol}/expirations", GetOptionExpirationsAsync)
            .WithName("GetOptionExpirations").WithSummary("Every expiration date (YYYY-MM-DD) of the symbol's option chain, ascending.")
            .ProducesErrors();
        // Any other path under /api/market: UnknownApiPaths, as for the rest of /api.
        return app;
    }

    public static async Task<Results<Ok<RestSuccess<Quote>>, JsonHttpResult<RestError>>> GetQuoteAsync(string symbol, [AsParameters] MarketServices services)
    {
        if (MarketQueries.Symbol(symbol).Failed(out var error, out var valid)) return ApiErrors.Refused(error);
        var quote = await services.Data.QuoteAsync(valid, services.Caller, services.Cancellation);
        if (quote is null) return ApiErrors.Refused(ApiError.NotFound($"no quote for {valid}"));
        return TypedResults.Ok(new RestSuccess<Quote>(quote));
    }

    public static async Task<Results<Ok<RestSuccess<Quote[]>>, JsonHttpResult<RestError>>> GetQuotesAsync(string? symbols, [AsParameters] MarketServices services)
    {
        if (MarketQueries.Symbols(symbols, services.Limits).Failed(out var error, out var valid)) return ApiErrors.Refused(error);
        var quotes = await services.Data.QuotesAsync(valid, services.Caller, services.Cancellation);
        return TypedResults.Ok(new RestSuccess<Quote[]>(quotes.OfType<Quote>().ToArray()));
    }

    public static async Task<Results<Ok<RestSuccess<HistoricalBars>>, JsonHttpResult<RestError>>> GetHistoricalAsync([AsParameters] HistoryRequest request,
        [AsParameters] MarketServices services)
    {
        if (MarketQueries.History(request.Symbol, request.From, request.To, request.Timespan, request.Multiplier, services.Limits).Failed(out var error, out var query))
            return ApiErrors.Refused(error);
        return TypedResults.Ok(new RestSuccess<HistoricalBars>(await services.Data.HistoryAsync(query, services.Caller, services.Cancellation)));
    }

    public static async Task<Results<Ok<RestSuccess<TickerMatch[]>>, JsonHttpResult<RestError>>> SearchSymbolsAsync(string? q, string? limit,
        [AsParameters] MarketServices services)
    {
        if (MarketQueries.Search(q, limit, services.Limits).Failed(out var error, out var search)) return ApiErrors.Refused(error);
        var matches = await services.Data.SearchAsync(search.Query, search.Limit, services.Caller, services.Cancellation);
        return TypedResults.Ok(new RestSuccess<TickerMatch[]>(matches.ToArray()));
    }

    public static async Task<Ok<RestSuccess<MarketStatusData>>> GetMarketStatusAsync([AsParameters] MarketServices services) =>
        TypedResults.Ok(new RestSuccess<MarketStatusData>(await services.Data.StatusAsync(services.Caller, services.Cancellation)));

    public static async Task<Results<Ok<RestSuccess<OptionContractData[]>>, JsonHttpResult<RestError>>> GetOptionsAsync([AsParameters] OptionsRequest request,
        [AsParameters] MarketServices services)
    {
        if (MarketQueries.Options(request.Symbol, request.Expiry, request.Type, request.StrikeMin, request.StrikeMax).Failed(out var error, out var query))
            return ApiErrors.Refused(error);
        var contracts = await services.Data.OptionsAsync(query, services.Limits.MaxOptionContracts, services.Caller, services.Cancellation);
        return TypedResults.Ok(new RestSuccess<OptionContractData[]>(contracts.ToArray()));
    }

    public static async Task<Results<Ok<RestSuccess<string[]>>, JsonHttpResult<RestError>>> GetOptionExpirationsAsync(string symbol, [AsParameters] MarketServices services)
    {
        if (MarketQueries.Symbol(symbol).Failed(out var error, out var valid)) return ApiErrors.Refused(error);
        return TypedResults.Ok(new RestSuccess<string[]>((await services.Data.ExpirationsAsync(valid, services.Caller, services.Cancellation)).ToArray()));
    }

    private static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<RestError>(StatusCodes.Status400BadRequest)
        .Produces<RestError>(StatusCodes.Status401Unauthorized)
        .Produces<RestError>(StatusCodes.Status429TooManyRequests)
        .Produces<RestError>(StatusCodes.Status502BadGateway)
        .Produces<RestError>(StatusCodes.Status503ServiceUnavailable);
}
