using System.Threading.RateLimiting;

namespace Quotes.Actors.Polygon;

/// <summary>
/// The node's budget of calls to the provider (<c>Polygon:MaxRequestsPerSecond</c>): every Polygon REST request, each
/// retry included, takes a permit here first. A request waits in line for at most <c>Polygon:MaxQueueWait</c>; one that
/// would wait longer fails at once with <see cref="ProviderBusyException"/>, which callers answer with 503 and
/// <c>Retry-After</c>. So no client, however many distinct requests it makes, can push the provider into rate-limiting
/// this server (its 429s would fail everyone's REST).
/// </summary>
public sealed class ProviderRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly TimeSpan _maxWait;

    public ProviderRateLimiter(PolygonOptions options)
    {
        var rate = Math.Max(1, options.MaxRequestsPerSecond);
        _maxWait = options.MaxQueueWait < TimeSpan.Zero ? TimeSpan.Zero : options.MaxQueueWait;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // One permit at a time, evenly spaced: at most one second's worth at once, never bursts above the rate.
            TokenLimit = rate,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond / rate)),
            AutoReplenishment = true,
            // What the bucket can serve within the longest wait; anyone past that would time out anyway, so is refused now.
            QueueLimit = Math.Max(1, (int)Math.Ceiling(rate * _maxWait.TotalSeconds)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Takes a permit, waiting at most <c>Polygon:MaxQueueWait</c>; throws <see cref="ProviderBusyException"/> otherwise.</summary>
    public async ValueTask AcquireAsync(CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(_maxWait);
        RateLimitLease lease;
        try
        {
            lease = await _bucket.AcquireAsync(1, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProviderBusyException(RetryAfter(null));
        }
        using (lease)
            if (!lease.IsAcquired) throw new ProviderBusyException(RetryAfter(lease));
    }

    private TimeSpan RetryAfter(RateLimitLease? lease) =>
        lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero
            ? after
            : _maxWait > TimeSpan.FromSeconds(1) ? _maxWait : TimeSpan.FromSeconds(1);

    public void Dispose() => _bucket.Dispose();
}

/// <summary>This node's provider budget is spent for now: retry after <see cref="RetryAfter"/>. Never counted as a provider failure.</summary>
public sealed class ProviderBusyException(TimeSpan retryAfter)
    : Exception($"this node's budget of provider requests is spent; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>Takes a <see cref="ProviderRateLimiter"/> permit for every attempt that reaches the provider (inside the retries).</summary>
public sealed class ProviderRateLimitHandler(ProviderRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
