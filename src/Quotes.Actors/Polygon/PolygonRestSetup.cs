using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Quotes.Actors.Telemetry;

namespace Quotes.Actors.Polygon;

/// <summary>The one HTTP client set-up for Polygon: <c>IHttpClientFactory</c> plus the standard resilience pipeline.</summary>
public static class PolygonRestSetup
{
    public static IServiceCollection AddPolygonRestClient(this IServiceCollection services)
    {
        services.AddHttpClient<PolygonRestClient>()
            // Outside the resilience pipeline: one count per call and its final outcome, not one per attempt.
            .AddHttpMessageHandler(sp => new ProviderCallCounter(sp.GetRequiredService<QuotesMetrics>()))
            .AddStandardResilienceHandler(pipeline =>
            {
                // Retries 408/429/5xx and network failures with jittered exponential backoff, honouring Retry-After.
                pipeline.Retry.MaxRetryAttempts = 3;
                pipeline.Retry.Delay = TimeSpan.FromMilliseconds(200);
                pipeline.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                pipeline.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(20);
                pipeline.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                pipeline.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
            });
        // One per node: every entity's snapshot reads go through it. A typed client per batch, never a captured one.
        services.AddSingleton(sp => new SnapshotBatcher(sp.GetRequiredService<PolygonRestClient>));
        return services;
    }
}
