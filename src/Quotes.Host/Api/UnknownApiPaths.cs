using Microsoft.AspNetCore.Routing.Template;
using Quotes.Host.Auth;

namespace Quotes.Host.Api;

/// <summary>
/// Every path under <c>/api</c> that no endpoint serves, whatever the method, gets the protocol's 404 body (PROTOCOL.md, REST),
/// after the same key check and rate limit as the endpoints: one catch-all for every method, as routing alone answers an
/// empty 404, or a 405 when a catch-all takes other methods only. A path that exists for other methods (a <c>POST</c> to
/// <c>/api/market/status</c>) still gets routing's answer: 405 with <c>Allow</c>.
/// </summary>
public static class UnknownApiPaths
{
    private const string Pattern = "/api/{**path}";

    public static IEndpointRouteBuilder MapUnknownApiPaths(this IEndpointRouteBuilder app)
    {
        // Read once, on the first unknown path: every endpoint is mapped by then.
        var known = new Lazy<IReadOnlyList<Route>>(() => RoutesUnderApi(app.ServiceProvider.GetRequiredService<EndpointDataSource>()));
        app.Map(Pattern, (HttpContext context) => Answer(context, known.Value))
            .RequireAuthorization(QuotesAuth.ClientPolicy)
            .RequirePerKeyRateLimit()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>An endpoint's path and the methods it takes (endpoints that take every method are left out: they never fall through here).</summary>
    private sealed record Route(TemplateMatcher Path, IReadOnlyList<string> Methods);

    private static IResult Answer(HttpContext context, IReadOnlyList<Route> known)
    {
        var request = context.Request;
        var allowed = known.Where(r => r.Path.TryMatch(request.Path, [])).SelectMany(r => r.Methods).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (allowed.Count > 0 && !allowed.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }
        return ApiErrors.Refused(ApiError.NotFound("no such endpoint under /api; the endpoints are listed in /openapi/v1.json"));
    }

    private static List<Route> RoutesUnderApi(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.TrimStart('/').StartsWith("api/", StringComparison.OrdinalIgnoreCase) && raw != Pattern)
            .Select(e => new Route(new TemplateMatcher(new RouteTemplate(e.RoutePattern), []),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? []))
            .Where(r => r.Methods.Count > 0)
            .ToList();
}
