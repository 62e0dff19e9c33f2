using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

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
    public static IServiceCollection AddBoundedCache(this IServiceCollection services, IConfiguration configuration)
    {
        var total = configuration.GetValue("Limits:RestCacheBytes", 64L * 1024 * 1024);
        var entry = configuration.GetValue("Limits:RestCacheEntryBytes", 1024 * 1024);
        // Registered before HybridCache, which takes this memory cache instead of an unbounded one of its own.
        services.AddMemoryCache(memory =>
        {
            memory.SizeLimit = total;
            memory.TrackStatistics = true;
        });
        services.AddHybridCache(hybrid =>
        {
            hybrid.MaximumPayloadBytes = entry;
            hybrid.MaximumKeyLength = 1024;
        });
        services.AddSingleton<BoundedCache>();
        return services;
    }
}
