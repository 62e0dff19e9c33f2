using Quotes.Host.Auth;

namespace Quotes.Host.Api;

/// <summary>
/// Every path under <c>/api</c> that no endpoint serves gets the protocol's 404 body (PROTOCOL.md, REST), after the same key
/// check and rate limit as the endpoints, rather than routing's empty 404.
/// </summary>
public static class UnknownApiPaths
{
    public static IEndpointRouteBuilder MapUnknownApiPaths(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/{**path}", () => ApiErrors.Refused(ApiError.NotFound("no such endpoint under /api; the endpoints are listed in /openapi/v1.json")))
            .RequireAuthorization(QuotesAuth.ClientPolicy)
            .RequirePerKeyRateLimit()
            .ExcludeFromDescription();
        return app;
    }
}
