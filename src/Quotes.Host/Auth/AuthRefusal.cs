using Quotes.Host.Api;

namespace Quotes.Host.Auth;

/// <summary>Why a request was not authenticated.</summary>
public enum AuthRefusal
{
    /// <summary>No credential.</summary>
    Missing,
    /// <summary>A key or token that is not valid (unknown, expired, for another audience, badly signed).</summary>
    Invalid,
    /// <summary>The address failed too often (<see cref="FailedAuthThrottle"/>): refused before its credential is looked at.</summary>
    Blocked,
    /// <summary>Admin routes without <c>Admin:ApiKey</c> configured.</summary>
    Disabled,
}

/// <summary>
/// The one place that turns a refused authentication into the wire's answer: the protocol's error body (401, 403, or 429 with
/// <c>Retry-After</c>), or Polygon's shape on the façade (its REST relay, its socket's upgrade), whose programs expect Polygon's errors.
/// </summary>
public static class AuthRefusals
{
    public static IResult Client(AuthRefusal refusal, HttpContext context, FailedAuthThrottle throttle)
    {
        if (context.Request.Path.StartsWithSegments("/polygon")) return Polygon(refusal, context, throttle);
        return refusal switch
        {
            AuthRefusal.Blocked => throttle.Refusal(),
            AuthRefusal.Missing => Unauthorized("an API key is required"),
            _ => Unauthorized("the API key is not valid"),
        };
    }

    public static IResult Admin(AuthRefusal refusal, HttpContext context, FailedAuthThrottle throttle) => refusal switch
    {
        AuthRefusal.Disabled => ApiErrors.ToResult(ApiError.Forbidden("admin endpoints are disabled: set Admin:ApiKey")),
        AuthRefusal.Blocked => throttle.Refusal(),
        _ => Unauthorized("the admin key is required in a header (Authorization: Bearer or X-API-Key)"),
    };

    private static IResult Polygon(AuthRefusal refusal, HttpContext context, FailedAuthThrottle throttle)
    {
        if (refusal == AuthRefusal.Blocked)
        {
            context.Response.Headers.RetryAfter = throttle.RetryAfter;
            return Quotes.Host.Facade.PolygonRestFacade.Error(429, "ERROR", "Too many failed authentications from this address; retry later.");
        }
        return Quotes.Host.Facade.PolygonRestFacade.Error(401, "ERROR", refusal == AuthRefusal.Missing ? "API Key was not provided" : "Unknown API Key");
    }

    private static IResult Unauthorized(string message) => ApiErrors.ToResult(ApiError.Unauthorized(message));
}
