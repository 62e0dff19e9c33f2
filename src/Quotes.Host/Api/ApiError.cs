using Quotes.Actors.Polygon;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>A REST request that cannot be answered; becomes <c>{"success":false,"error","code"}</c> with <see cref="Status"/>.</summary>
public sealed class ApiError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static ApiError BadRequest(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
    public static ApiError NotFound(string message) => new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, message);
}

/// <summary>The one place that maps failures to the wire, for every REST endpoint.</summary>
public static class ApiErrors
{
    public static IResult ToResult(ApiError error) =>
        Results.Json(new RestError(error.Message, error.Code), QuotesJsonContext.Default.RestError, statusCode: error.Status);

    /// <summary>Polygon's failures in the protocol's terms; the message names the cause, never the key.</summary>
    public static ApiError FromUpstream(PolygonRestException e) => e.Failure switch
    {
        PolygonFailure.NotFound => ApiError.NotFound("no data for this request upstream"),
        PolygonFailure.BadRequest => ApiError.BadRequest(ErrorCodes.InvalidParameter, "the upstream rejected the request parameters"),
        PolygonFailure.Refused => new ApiError(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamError,
            "the market-data provider refused this server's key or plan for this data"),
        _ => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.UpstreamUnavailable, "the market-data provider is unavailable; retry shortly"),
    };

    /// <summary>Endpoint filter: turns <see cref="ApiError"/> and <see cref="PolygonRestException"/> into the protocol's error body.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiError e)
        {
            return ToResult(e);
        }
        catch (PolygonRestException e)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Quotes.Api")
                .LogWarning("Upstream REST failure {Failure} ({Status}): {Reason}", e.Failure, e.Status, e.Message);
            return ToResult(FromUpstream(e));
        }
    }
}
