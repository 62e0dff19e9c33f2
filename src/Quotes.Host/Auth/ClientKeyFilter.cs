using Quotes.Contracts;

namespace Quotes.Host.Auth;

/// <summary>
/// Rejects a request without a valid client key with 401 and the protocol's error body, before any upgrade; an address
/// that failed too often (<see cref="FailedAuthThrottle"/>) gets 429 instead.
/// </summary>
public static class ClientKeyFilter
{
    public static TBuilder RequireClientKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var validator = context.HttpContext.RequestServices.GetRequiredService<ApiKeyValidator>();
            var throttle = context.HttpContext.RequestServices.GetRequiredService<FailedAuthThrottle>();
            var address = context.HttpContext.Connection.RemoteIpAddress;
            if (throttle.IsBlocked(address)) return FailedAuthThrottle.Refusal(context.HttpContext.Response);
            var key = ApiKeyValidator.KeyOf(context.HttpContext.Request);
            if (validator.IsValid(key)) return await next(context);
            throttle.Failed(address);
            var message = string.IsNullOrEmpty(key) ? "an API key is required" : "the API key is not valid";
            return Results.Json(new RestError(message, ErrorCodes.Unauthorized), QuotesJsonContext.Default.RestError, statusCode: StatusCodes.Status401Unauthorized);
        });
}
