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
            var key = ApiKeyValidator.KeyOf(context.HttpContext.Request);
            switch (throttle.Check(context.HttpContext.Connection.RemoteIpAddress, key, validator.IsValid))
            {
                case FailedAuthThrottle.Verdict.Blocked: return throttle.Refusal(context.HttpContext.Response);
                case FailedAuthThrottle.Verdict.Valid: return await next(context);
            }
            var message = string.IsNullOrEmpty(key) ? "an API key is required" : "the API key is not valid";
            return Results.Json(new RestError(message, ErrorCodes.Unauthorized), QuotesJsonContext.Default.RestError, statusCode: StatusCodes.Status401Unauthorized);
        });
}
