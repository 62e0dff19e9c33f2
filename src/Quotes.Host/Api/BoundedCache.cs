using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Quotes.Actors.Telemetry;

namespace Quotes.Host.Api;

/// <summary>
/// The REST cache with its per-entry bound applied: HybridCache applies <c>MaximumPayloadBytes</c> only to what it
/// serializes and keeps an immutable value or a string over it anyway (at size 0), so every cached answer of the REST API
/// and of the façade's relay goes through here. An answer larger than <c>Limits:RestCacheEntryBytes</c> is served to every
/// request waiting on it and not kept; the next request calls the provider again. Lookups are counted here
/// (<c>quotes_cache_requests_total</c>): a hit is answered without running the factory (kept, or another request's call
/// waited for), a miss ran it (called the provider), also when that call failed or its answer was too large to keep. A
/// lookup that only waited for another request's failed call, or was cancelled while waiting, is not counted.
/// </summary>
public sealed class BoundedCache(HybridCache cache, IOptions<HybridCacheOptions> options, QuotesMetrics metrics)
{
    private readonly long _maxEntryBytes = options.Value.MaximumPayloadBytes;

    /// <summary>An answer too large for an entry: thrown out of the cache's factory so that nothing is kept, and served as is.</summary>
    private sealed class TooLarge(object? value) : Exception
    {
        public object? Value { get; } = value;
    }

    /// <summary>
    /// The cached value of <paramref name="key"/>, or <paramref name="factory"/>'s (once for all concurrent callers), kept
    /// when <paramref name="size"/> says it fits an entry. <c>Missed</c> is true when this call ran the factory. The lookup
    /// is counted under <paramref name="kind"/>, a failed factory call of its own as a miss.
    /// </summary>
    public async ValueTask<(T Value, bool Missed)> GetOrCreateAsync<TState, T>(string kind, string key, TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory, Func<T, long> size, HybridCacheEntryOptions entry, CancellationToken ct)
    {
        var missed = new StrongBox<bool>();
        try
        {
            var value = await cache.GetOrCreateAsync(key, (state, factory, size, missed, max: _maxEntryBytes), static async (s, token) =>
            {
                s.missed.Value = true;
                var created = await s.factory(s.state, token);
                return s.size(created) <= s.max ? created : throw new TooLarge(created);
            }, entry, cancellationToken: ct);
            metrics.CacheLookup(kind, hit: !missed.Value);
            return (value, missed.Value);
        }
        catch (TooLarge large)
        {
            metrics.CacheLookup(kind, hit: !missed.Value);
            return ((T)large.Value!, missed.Value);
        }
        catch (Exception) when (missed.Value)
        {
            // This lookup called the provider and the call failed: still a miss. One that only waited for it is not counted.
            metrics.CacheLookup(kind, hit: false);
            throw;
        }
    }

    /// <summary>The length of <paramref name="value"/> as HybridCache's default serializer writes it (JSON), counted, not kept.</summary>
    public static long JsonBytes<T>(T value)
    {
        using var counter = new ByteCounter();
        JsonSerializer.Serialize(counter, value);
        return counter.Length;
    }

    private sealed class ByteCounter : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
