using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Host.Auth;

namespace Quotes.Host.Api;

/// <summary>
/// Per-key token buckets for the REST API and the façade's REST relay (<c>Api:RateLimit:PermitsPerSecond</c>,
/// <c>Api:RateLimit:Burst</c>), on the endpoints marked with <see cref="RequirePerKeyRateLimit{TBuilder}"/>; each refusal
/// is a 429 with <c>Retry-After</c>, counted by route. A key's share of the provider budget is the provider limiter's
/// (<see cref="ProviderRateLimiter"/>); <see cref="CallerOf"/> names the key to it.
/// </summary>
/// <remarks>
/// The buckets are <c>System.Threading.RateLimiting</c>'s, in a limiter the host's services own and dispose, rather than
/// ASP.NET's rate-limiting middleware: that middleware never disposes the limiter it builds (dotnet/aspnetcore#69061),
/// whose timer fires every 100 ms for the life of the process and keeps the whole host (its actor system, its services)
/// in memory after the host is disposed. A process that hosts one node never noticed; one that starts and stops hosts
/// (an embedding application, the test suite: 3 GB after a few hundred) does.
/// </remarks>
public static class RateLimits
{
    /// <summary>Whom the provider calls a request causes are charged to (<see cref="ProviderCaller"/>): its key, by id, which has its own
    /// share of the provider budget (<c>Polygon:MaxRequestsPerSecondPerKey</c>) as it has its own bucket here. Only for
    /// requests whose key was checked.</summary>
    public static ProviderCaller CallerOf(HttpContext context) => ProviderCaller.Client(ClientIdentity.Of(context.User)?.LogId ?? "none");

    /// <summary>The route a refusal is counted under (<c>quotes_rest_rate_limited_total</c>).</summary>
    public static string RouteOf(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";

    public static IServiceCollection AddQuotesRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        return services.AddSingleton<PerKeyRateLimiter>();
    }

    /// <summary>Takes a permit from the caller's bucket before these endpoints run (after authentication: see <see cref="PerKeyRateLimiter"/>).</summary>
    public static TBuilder RequirePerKeyRateLimit<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.WithMetadata(PerKeyRateLimited.Instance);

    /// <summary>Runs <see cref="PerKeyRateLimiter"/> for the endpoints that require it (after routing and authentication).</summary>
    public static IApplicationBuilder UsePerKeyRateLimits(this IApplicationBuilder app) => app.UseMiddleware<PerKeyRateLimiter>();

    /// <summary>The endpoint metadata <see cref="RequirePerKeyRateLimit{TBuilder}"/> adds.</summary>
    public sealed class PerKeyRateLimited
    {
        public static readonly PerKeyRateLimited Instance = new();
        private PerKeyRateLimited() { }
    }
}

/// <summary>
/// The per-key buckets (<see cref="RateLimits"/>): authenticated callers (the client policy runs first) get a bucket of
/// their own key's; anything else shares one per address. A request refused by authentication spends none.
/// </summary>
public sealed class PerKeyRateLimiter : IMiddleware, IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _buckets;

    public PerKeyRateLimiter(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        _buckets = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context),
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, settings.Burst),
                TokensPerPeriod = Math.Max(1, settings.PermitsPerSecond),
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    private static string PartitionOf(HttpContext context) =>
        ClientIdentity.Of(context.User) is { } client ? "key:" + client.BudgetId : "ip:" + context.Connection.RemoteIpAddress;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RateLimits.PerKeyRateLimited>() is null)
        {
            await next(context);
            return;
        }
        using var lease = _buckets.AttemptAcquire(context);
        if (lease.IsAcquired) await next(context);
        else await RefuseAsync(context, lease);
    }

    private static async Task RefuseAsync(HttpContext context, RateLimitLease lease)
    {
        context.RequestServices.GetRequiredService<QuotesMetrics>().RestRateLimited(RateLimits.RouteOf(context));
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        // Polygon programs on the façade's REST relay get Polygon's error shape, as for every other façade error.
        if (context.Request.Path.StartsWithSegments("/polygon"))
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await Quotes.Host.Facade.PolygonRestFacade.Error(StatusCodes.Status429TooManyRequests, "ERROR",
                $"You've exceeded this server's request rate for your key; retry after {retryAfter} s.").ExecuteAsync(context);
            return;
        }
        await ApiErrors.WriteAsync(context, ApiError.RateLimited($"too many requests; retry after {retryAfter} s", TimeSpan.FromSeconds(retryAfter)));
    }

    public void Dispose() => _buckets.Dispose();
}
