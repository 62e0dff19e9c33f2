using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Host.Auth;

namespace Quotes.Host.Api;

/// <summary>
/// Per-key token buckets for the REST API and the façade's REST relay (<c>Api:RateLimit:PermitsPerSecond</c>,
/// <c>Api:RateLimit:Burst</c>); each refusal is counted by route. A key's share of the provider budget is the provider
/// limiter's (<see cref="ProviderRateLimiter"/>); <see cref="CallerOf"/> names the key to it.
/// </summary>
public static class RateLimits
{
    public const string PerKey = "per-key";

    /// <summary>
    /// Whom the provider calls a request causes are charged to (<see cref="ProviderCaller"/>): its key, by id, which has its own
    /// share of the provider budget (<c>Polygon:MaxRequestsPerSecondPerKey</c>) as it has its own bucket here. Only for
    /// requests whose key was checked.
    /// </summary>
    public static ProviderCaller CallerOf(HttpContext context) => ProviderCaller.Client(ClientIdentity.Of(context.User)?.LogId ?? "none");

    /// <summary>The route a refusal is counted under (<c>quotes_rest_rate_limited_total</c>).</summary>
    public static string RouteOf(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";

    public static IServiceCollection AddQuotesRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerKey, context =>
            {
                // Authenticated callers (the client policy runs first) get their own bucket; anything else shares one per address.
                var partition = ClientIdentity.Of(context.User) is { } client
                    ? "key:" + client.BudgetId
                    : "ip:" + context.Connection.RemoteIpAddress;
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.Burst),
                    TokensPerPeriod = Math.Max(1, options.PermitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<QuotesMetrics>().RestRateLimited(RouteOf(context.HttpContext));
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                // Polygon programs on the façade's REST relay get Polygon's error shape, as for every other façade error.
                if (context.HttpContext.Request.Path.StartsWithSegments("/polygon"))
                {
                    context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                    await Quotes.Host.Facade.PolygonRestFacade.Error(StatusCodes.Status429TooManyRequests, "ERROR",
                        $"You've exceeded this server's request rate for your key; retry after {retryAfter} s.").ExecuteAsync(context.HttpContext);
                    return;
                }
                await ApiErrors.WriteAsync(context.HttpContext,
                    ApiError.RateLimited($"too many requests; retry after {retryAfter} s", TimeSpan.FromSeconds(retryAfter)));
            };
        });
    }
}
