using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Quotes.Host.Api;

/// <summary>
/// The REST cache (HybridCache over the in-process memory cache) with bounds, so that requests for ever new data (the
/// façade's relay, searches) cannot grow it without limit: <c>Limits:RestCacheBytes</c> in all (the memory cache's size
/// limit; the least recently used entries go first) and <c>Limits:RestCacheEntryBytes</c> per entry (HybridCache's
/// <c>MaximumPayloadBytes</c>; a larger answer is served but not cached). HybridCache keeps an immutable value over that limit
/// anyway, at size 0, so the REST API and the façade's relay read and write it through <see cref="BoundedCache"/>.
/// </summary>
public static class CacheLimits
{
    public static IServiceCollection AddBoundedCache(this IServiceCollection services)
    {
        services.AddOptions<CacheLimitOptions>().BindConfiguration(CacheLimitOptions.Section).ValidateOnStart();
        // Registered before HybridCache, which takes this memory cache instead of an unbounded one of its own.
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<CacheLimitOptions>>((memory, limits) =>
        {
            memory.SizeLimit = limits.Value.RestCacheBytes;
            memory.TrackStatistics = true;
        });
        services.AddHybridCache();
        services.AddOptions<HybridCacheOptions>().Configure<IOptions<CacheLimitOptions>>((hybrid, limits) =>
        {
            hybrid.MaximumPayloadBytes = limits.Value.RestCacheEntryBytes;
            hybrid.MaximumKeyLength = 1024;
        });
        services.AddSingleton<BoundedCache>();
        return services;
    }
}
