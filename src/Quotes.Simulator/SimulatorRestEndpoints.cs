using Microsoft.AspNetCore.Builder;
using Quotes.Simulator.Rest;
using static Quotes.Simulator.Rest.PolygonRest;

namespace Quotes.Simulator;

/// <summary>
/// Polygon's REST paths that AkkaQuotes calls, in Polygon's exact shapes, answered from the simulated market: the route table
/// is here, each endpoint family's handlers in a file of <c>Rest/</c>. Every path passes the same gate first: the key (as <c>apiKey</c> or
/// <c>Authorization: Bearer</c>), then the injected faults (rate limit, delay, failures). List endpoints paginate with an
/// absolute <c>next_url</c>.
/// </summary>
public static class SimulatorRestEndpoints
{
    private const string NotEntitled = "You are not entitled to this data. Please upgrade your plan at https://massive.com/pricing";
    private const string RateLimited = "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue.";

    public static IEndpointRouteBuilder MapPolygonRest(this IEndpointRouteBuilder app, string prefix = "")
    {
        var rest = app.MapGroup(prefix).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var market = http.RequestServices.GetRequiredService<MarketSimulator>();
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
            market.RecordRest(http.Request.Path, route, http.Request.QueryString.Value);
            var requestId = Guid.NewGuid().ToString("N");
            var key = KeyOf(http.Request);
            if (string.IsNullOrEmpty(key)) return Error(401, "ERROR", "API Key was not provided", requestId);
            if (!market.Options.Accepts(key)) return Error(401, "ERROR", "Unknown API Key", requestId);
            if (!market.Faults.TryTakeRestPermit()) return Error(429, "ERROR", RateLimited, requestId, retryAfter: 1);
            if (market.Faults.RestDelay > TimeSpan.Zero) await Task.Delay(market.Faults.RestDelay, http.RequestAborted);
            if (market.Faults.PlanRefuses(http.Request.Path)) return Error(403, "NOT_AUTHORIZED", NotEntitled, requestId);
            if (market.Faults.TryTakeRestFailure(http.Request.Path, out var status))
                return status == 429
                    ? Error(429, "ERROR", RateLimited, requestId, retryAfter: 1)
                    : status is 401 or 403
                        ? Error(status, "NOT_AUTHORIZED", NotEntitled, requestId)
                        : Error(status, "ERROR", "Service temporarily unavailable.", requestId);
            return await next(context);
        });

        rest.MapGet("/v2/aggs/ticker/{ticker}/prev", AggregateEndpoints.PreviousClose);
        rest.MapGet("/v2/aggs/grouped/locale/us/market/stocks/{date}", AggregateEndpoints.Grouped);
        rest.MapGet("/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}", AggregateEndpoints.Aggregates);
        rest.MapGet("/v2/snapshot/locale/us/markets/stocks/tickers", SnapshotEndpoints.Snapshots);
        rest.MapGet("/v2/snapshot/locale/us/markets/stocks/tickers/{ticker}", SnapshotEndpoints.Snapshot);
        rest.MapGet("/v3/reference/options/contracts", OptionEndpoints.OptionContracts);
        rest.MapGet("/v3/snapshot/options/{underlyingAsset}", OptionEndpoints.OptionChainSnapshot);
        rest.MapGet("/v3/snapshot/options/{underlyingAsset}/{optionContract}", OptionEndpoints.OptionContractSnapshot);
        rest.MapGet("/v3/reference/tickers", ReferenceEndpoints.Tickers);
        rest.MapGet("/v1/marketstatus/now", ReferenceEndpoints.MarketStatusNow);
        return app;
    }

    private static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : request.Query["apiKey"].ToString();
    }
}
