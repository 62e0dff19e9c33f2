using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quotes.Actors.Sessions;
using Quotes.Actors.Telemetry;
using Quotes.Host.Api;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>
/// The REST cache counts its lookups (<c>quotes_cache_requests_total</c>): a miss is a lookup that ran its factory (called
/// the provider), also when that call failed or its answer was too large to keep; one that only waited for another
/// request's failed call is not counted.
/// </summary>
public sealed class BoundedCacheSpecs : IDisposable
{
    private const long MaxEntryBytes = 100;
    private static readonly HybridCacheEntryOptions Minute = new() { Expiration = TimeSpan.FromMinutes(1), LocalCacheExpiration = TimeSpan.FromMinutes(1) };

    private readonly ServiceProvider _services;
    private readonly QuotesMetrics _metrics;
    private readonly BoundedCache _cache;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counted = new();

    public BoundedCacheSpecs()
    {
        _services = new ServiceCollection().AddMetrics().AddHybridCache().Services.BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        _metrics = new QuotesMetrics(meters, new SocketCounters());
        _cache = new BoundedCache(_services.GetRequiredService<HybridCache>(), Options.Create(new HybridCacheOptions { MaximumPayloadBytes = MaxEntryBytes }), _metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "quotes.cache.requests") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? kind = null, result = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "kind") kind = tag.Value as string;
                if (tag.Key == "result") result = tag.Value as string;
            }
            _counted.AddOrUpdate($"{kind}/{result}", value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
        _services.Dispose();
    }

    private long Counted(string kind, string result) => _counted.GetValueOrDefault($"{kind}/{result}");

    private ValueTask<(string Value, bool Missed)> LookUpAsync(string key, Func<string> provider) =>
        _cache.GetOrCreateAsync("relay", key, provider, static (p, _) => ValueTask.FromResult(p()), static v => v.Length, Minute, CancellationToken.None);

    [Fact]
    public async Task A_lookup_that_calls_the_provider_is_a_miss_and_the_next_one_a_hit()
    {
        var calls = 0;
        Assert.Equal(("answer", true), await LookUpAsync("k", () => { calls++; return "answer"; }));
        Assert.Equal(("answer", false), await LookUpAsync("k", () => { calls++; return "other"; }));

        Assert.Equal(1, calls);
        Assert.Equal(1, Counted("relay", "miss"));
        Assert.Equal(1, Counted("relay", "hit"));
    }

    [Fact]
    public async Task A_lookup_whose_provider_call_fails_is_counted_as_a_miss_and_nothing_is_kept()
    {
        await Assert.ThrowsAsync<HttpRequestException>(async () => await LookUpAsync("k", () => throw new HttpRequestException("provider down")));
        Assert.Equal(1, Counted("relay", "miss"));
        Assert.Equal(0, Counted("relay", "hit"));

        // Nothing was kept: the next lookup calls the provider again.
        Assert.Equal(("back", true), await LookUpAsync("k", () => "back"));
        Assert.Equal(2, Counted("relay", "miss"));
    }

    [Fact]
    public async Task A_lookup_that_only_waited_for_another_requests_failed_call_is_not_counted()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failure = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        ValueTask<(string, bool)> LookUp() => _cache.GetOrCreateAsync("relay", "k", 0, async (_, _) =>
        {
            Interlocked.Increment(ref calls);
            started.TrySetResult();
            return await failure.Task;
        }, static v => v.Length, Minute, CancellationToken.None);

        var first = LookUp().AsTask();
        await started.Task;
        var second = LookUp().AsTask(); // the same key while the first call is in flight: it waits for that call
        failure.SetException(new HttpRequestException("provider down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => first);
        await Assert.ThrowsAsync<HttpRequestException>(() => second);
        Assert.Equal(1, calls);
        Assert.Equal(1, Counted("relay", "miss"));
        Assert.Equal(0, Counted("relay", "hit"));
    }

    [Fact]
    public async Task An_answer_too_large_to_keep_is_served_counted_as_a_miss_and_asked_again_next_time()
    {
        var large = new string('x', (int)MaxEntryBytes + 1);
        Assert.Equal((large, true), await LookUpAsync("k", () => large));
        Assert.Equal((large, true), await LookUpAsync("k", () => large));

        Assert.Equal(2, Counted("relay", "miss"));
        Assert.Equal(0, Counted("relay", "hit"));
    }
}
