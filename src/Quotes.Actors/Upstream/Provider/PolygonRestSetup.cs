using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Quotes.Actors.Fanout;
using Quotes.Actors.Telemetry;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// The one HTTP client set-up for Polygon: <c>IHttpClientFactory</c>, the standard resilience pipeline, and inside it (so
/// every attempt, retries included, pays) the node's <see cref="ProviderRateLimiter"/>.
/// </summary>
public static class PolygonRestSetup
{
    /// <summary>How long a pooled connection to the provider is used before a new one is opened.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddPolygonRestClient(this IServiceCollection services, PolygonOptions options)
    {
        services.AddSingleton<ProviderRateLimiter>();
        services.AddTransient<ProviderRateLimitHandler>();
        var client = services.AddHttpClient<PolygonRestClient>()
            // Outermost: looks once at each call's final answer, and refuses a simulated one under Polygon:Required.
            .AddHttpMessageHandler(sp => new SimulatedAnswerCheck(sp.GetRequiredService<NodeStatus>(), options.Required,
                sp.GetRequiredService<ILogger<SimulatedAnswerCheck>>()))
            // Outside the resilience pipeline: one count per call and its final outcome, not one per attempt.
            .AddHttpMessageHandler(sp => new ProviderCallCounter(sp.GetRequiredService<QuotesMetrics>()));
        client.AddStandardResilienceHandler(pipeline =>
            {
                // Retries 408/429/5xx and network failures with jittered exponential backoff, honouring Retry-After.
                pipeline.Retry.MaxRetryAttempts = 3;
                pipeline.Retry.Delay = TimeSpan.FromMilliseconds(200);
                pipeline.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                pipeline.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(20);
                pipeline.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                pipeline.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
                // A 429 says "slow down", not "down": retried (after Retry-After) but never counted towards opening the
                // breaker, which would fail every client's REST for what one burst caused.
                pipeline.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome) && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests);
            });
        // Added after the resilience handler, so it sits inside it: each attempt takes a permit.
        client.AddHttpMessageHandler<ProviderRateLimitHandler>();
        // Pooled connections are renewed every few minutes, also under a typed client someone keeps (the REST API's
        // MarketData is a singleton): a provider address that moves (a fail-over behind its name) is followed within
        // minutes, not when the old connections finally fail.
        // The connections' lifetime does what the factory's handler rotation is for, so the handlers are never rotated: a
        // rotation only arms a two-minute timer per handler (which kept a disposed host in memory until it fired).
        client.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        // One per node: every entity's snapshot reads go through it. A typed client per batch, never a captured one.
        services.AddSingleton(sp => new SnapshotBatcher(sp.GetRequiredService<PolygonRestClient>, options));
        // One per node: the previous session's bars of every ticker, one grouped read a day.
        services.AddSingleton(sp => new PreviousCloses(sp.GetRequiredService<PolygonRestClient>));
        return services;
    }
}
