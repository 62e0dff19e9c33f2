using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>
/// A REST request that cannot be answered; becomes <c>{"success":false,"error","code"}</c> with <see cref="Status"/>. A value,
/// not an exception: validation returns it (<see cref="Checked{T}"/>).
/// </summary>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> (whole seconds, at least 1) when set.</param>
public sealed record ApiError(int Status, string Code, string Message, TimeSpan? RetryAfter = null)
{
    public static ApiError BadRequest(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
    public static ApiError NotFound(string message) => new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, message);

    /// <summary>401 <c>UNAUTHORIZED</c>: no credential, or one that is not valid.</summary>
    public static ApiError Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message);

    /// <summary>403, still <c>UNAUTHORIZED</c> on the wire: the caller may not use this (an origin, disabled admin routes).</summary>
    public static ApiError Forbidden(string message) => new(StatusCodes.Status403Forbidden, ErrorCodes.Unauthorized, message);

    /// <summary>429 <c>RATE_LIMITED</c> with <c>Retry-After</c>.</summary>
    public static ApiError RateLimited(string message, TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, message, retryAfter);
}

/// <summary>
/// The one place that maps failures to the wire, for every REST endpoint and every HTTP refusal of AkkaQuotes' own
/// (authentication, rate limits, origins, socket upgrades). The Polygon façade answers in Polygon's shape instead
/// (<see cref="Quotes.Host.Facade.PolygonRestFacade.Error"/>).
/// </summary>
public static class ApiErrors
{
    /// <summary>A refused request as a typed result, for handlers' <c>Results&lt;…&gt;</c>.</summary>
    public static JsonHttpResult<RestError> Refused(ApiError error) =>
        TypedResults.Json(new RestError(error.Message, error.Code), QuotesJsonContext.Default.RestError, statusCode: error.Status);

    /// <summary>A refused request as a result, with <c>Retry-After</c> when the error has one.</summary>
    public static IResult ToResult(ApiError error)
    {
        var body = Refused(error);
        return error.RetryAfter is { } after ? new WithRetryAfter(body, after) : body;
    }

    /// <summary>Writes the refusal to <paramref name="context"/>'s response, for middleware and handlers that answer directly.</summary>
    public static Task WriteAsync(HttpContext context, ApiError error) => ToResult(error).ExecuteAsync(context);

    /// <summary>Polygon's failures in the protocol's terms; the message names the cause, never the key.</summary>
    public static ApiError FromUpstream(PolygonRestException e) => e.Failure switch
    {
        PolygonFailure.NotFound => ApiError.NotFound("no data for this request upstream"),
        PolygonFailure.BadRequest => ApiError.BadRequest(ErrorCodes.InvalidParameter, "the upstream rejected the request parameters"),
        PolygonFailure.Refused => new ApiError(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamError,
            "the market-data provider refused this server's key or plan for this data"),
        PolygonFailure.Simulated => new ApiError(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamError,
            "the market-data provider's answer is simulated and this server serves real market data only (Polygon:Required); nothing was kept"),
        PolygonFailure.KeyShare => new ApiError(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
            $"this key's share of the server's market-data provider requests is spent for now; retry after {Seconds(e.RetryAfter)} s", e.RetryAfter ?? TimeSpan.FromSeconds(1)),
        PolygonFailure.Busy => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.UpstreamUnavailable,
            $"this server's budget of market-data provider requests is spent for now; retry after {Seconds(e.RetryAfter)} s", e.RetryAfter ?? TimeSpan.FromSeconds(1)),
        _ => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.UpstreamUnavailable, "the market-data provider is unavailable; retry shortly",
            TimeSpan.FromSeconds(1)),
    };

    /// <summary>Whole seconds for <c>Retry-After</c>, at least 1.</summary>
    public static string Seconds(TimeSpan? after) => Math.Max(1, (int)Math.Ceiling((after ?? TimeSpan.Zero).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>A result with a <c>Retry-After</c> header.</summary>
    public sealed class WithRetryAfter(IResult inner, TimeSpan after) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = Seconds(after);
            return inner.ExecuteAsync(context);
        }
    }

    /// <summary>Endpoint filter: turns the provider's failures (<see cref="PolygonRestException"/>) into the protocol's error body.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PolygonRestException e)
        {
            // A spent provider budget is this node protecting itself, at the rate clients ask: not worth a warning each.
            var spent = e.Failure is PolygonFailure.Busy or PolygonFailure.KeyShare;
            var services = context.HttpContext.RequestServices;
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Quotes.Api")
                .Log(spent ? LogLevel.Debug : LogLevel.Warning, "Upstream REST failure {Failure} ({Status}): {Reason}", e.Failure, e.Status, e.Message);
            if (e.Failure == PolygonFailure.KeyShare) services.GetRequiredService<QuotesMetrics>().RestRateLimited(RateLimits.RouteOf(context.HttpContext));
            return ToResult(FromUpstream(e));
        }
    }
}
