using Microsoft.Extensions.Options;
using Quotes.Host.Api;

namespace Quotes.Host.Auth;

/// <summary>
/// Which browser origins may use the server (<c>Cors:AllowedOrigins</c>): the server's own origin always, plus the
/// configured ones. Applied to REST through CORS and to WebSocket upgrades, which browsers do not guard with CORS:
/// an upgrade whose <c>Origin</c> is not allowed gets 403. Clients that send no Origin (bots, servers) are not affected.
/// </summary>
public sealed class OriginPolicy(IOptions<CorsOriginOptions> options)
{
    public const string CorsPolicy = "configured-origins";

    public string[] Allowed { get; } = options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')).Where(o => o.Length > 0).ToArray();

    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true;
        var own = $"{request.Scheme}://{request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) || Allowed.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Refuses WebSocket upgrades from origins that are not allowed.</summary>
    public static TBuilder RequireAllowedOrigin<TBuilder>(TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<OriginPolicy>().Allows(context.HttpContext.Request)
                ? await next(context)
                : ApiErrors.ToResult(ApiError.Forbidden("this origin may not connect")));
}
