namespace Quotes.Host.Api;

/// <summary>
/// The REST cache's bounds in <c>Limits</c> (<see cref="CacheLimits"/>): <c>Limits:RestCacheBytes</c> in all (default 64 MiB)
/// and <c>Limits:RestCacheEntryBytes</c> per entry (default 1 MiB).
/// </summary>
public sealed class CacheLimitOptions
{
    public const string Section = "Limits";

    public long RestCacheBytes { get; set; } = 64L * 1024 * 1024;
    public int RestCacheEntryBytes { get; set; } = 1024 * 1024;
}
