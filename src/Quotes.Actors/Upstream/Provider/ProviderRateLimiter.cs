using System.Threading.RateLimiting;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// The node's budget of calls to the provider: every Polygon REST request, each retry included, takes a permit here first,
/// so that no client, however many distinct requests it makes, can push the provider into rate-limiting this server (its
/// 429s would fail everyone's REST). The budget is shared out:
/// <list type="bullet">
/// <item>the node in all: <c>Polygon:MaxRequestsPerSecond</c>;</item>
/// <item>clients together: that less <c>Polygon:ReservedRequestsPerSecond</c>, which is kept for the server's own calls
/// (<see cref="ProviderCaller.Server"/>), so that a flood never starves the upstream's refills or the entities' day loads;</item>
/// <item>each client key: <c>Polygon:MaxRequestsPerSecondPerKey</c>, so that one key never takes the other keys' turn.</item>
/// </list>
/// A request waits in line for at most <c>Polygon:MaxQueueWait</c> in all; one that would wait longer fails at once with
/// <see cref="ProviderBusyException"/>, which says whether the key's own share or the node's budget is spent.
/// </summary>
public sealed class ProviderRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter _node;
    private readonly TokenBucketRateLimiter _clients;
    private readonly PartitionedRateLimiter<string>? _keys;
    private readonly TimeSpan _maxWait;

    public ProviderRateLimiter(PolygonOptions options)
    {
        _maxWait = options.MaxQueueWait < TimeSpan.Zero ? TimeSpan.Zero : options.MaxQueueWait;
        var rate = Math.Max(1, options.MaxRequestsPerSecond);
        _node = new TokenBucketRateLimiter(Bucket(rate, _maxWait));
        _clients = new TokenBucketRateLimiter(Bucket(Math.Max(1, rate - options.ReservedRate), _maxWait));
        var perKey = options.PerKeyRate;
        if (perKey > 0)
            _keys = PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => Bucket(perKey, _maxWait)));
    }

    /// <summary>
    /// At most one second's worth at once, refilled at the rate in steps of about a tenth of a second (a step per permit
    /// would wake the timer thread up to 50 times a second per bucket, idle or not); a queue no longer than what the
    /// bucket serves within the longest wait (anyone past it would time out anyway, so is refused now).
    /// </summary>
    private static TokenBucketRateLimiterOptions Bucket(int rate, TimeSpan maxWait) => new()
    {
        TokenLimit = rate,
        TokensPerPeriod = Math.Max(1, rate / 10),
        ReplenishmentPeriod = TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond * Math.Max(1, rate / 10) / rate)),
        AutoReplenishment = true,
        QueueLimit = Math.Max(1, (int)Math.Ceiling(rate * maxWait.TotalSeconds)),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    /// <summary>
    /// Takes a permit for <paramref name="caller"/>: a client's from its key's share, then from the clients' share, then from
    /// the node's; the server's from the node's only. Waits at most <c>Polygon:MaxQueueWait</c> in all; throws
    /// <see cref="ProviderBusyException"/> otherwise.
    /// </summary>
    public async ValueTask AcquireAsync(ProviderCaller caller, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(_maxWait);
        if (!caller.IsServer)
        {
            // The key's own share first: a key past it is refused without taking anything from the others' shares.
            if (_keys is { } keys)
                await TakeAsync(() => keys.AttemptAcquire(caller.KeyId!), token => keys.AcquireAsync(caller.KeyId!, 1, token), keyShare: true, wait.Token, ct).ConfigureAwait(false);
            await TakeAsync(() => _clients.AttemptAcquire(), token => _clients.AcquireAsync(1, token), keyShare: false, wait.Token, ct).ConfigureAwait(false);
        }
        await TakeAsync(() => _node.AttemptAcquire(), token => _node.AcquireAsync(1, token), keyShare: false, wait.Token, ct).ConfigureAwait(false);
    }

    /// <summary>A permit now if one is free (and nobody is waiting before us), else in line until <paramref name="wait"/> ends.</summary>
    private async ValueTask TakeAsync(Func<RateLimitLease> attempt, Func<CancellationToken, ValueTask<RateLimitLease>> acquire, bool keyShare,
        CancellationToken wait, CancellationToken ct)
    {
        using (var now = attempt())
        {
            if (now.IsAcquired) return;
            if (_maxWait == TimeSpan.Zero) throw new ProviderBusyException(RetryAfter(now), keyShare);
        }
        RateLimitLease lease;
        try
        {
            lease = await acquire(wait).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProviderBusyException(RetryAfter(null), keyShare);
        }
        using (lease)
            if (!lease.IsAcquired) throw new ProviderBusyException(RetryAfter(lease), keyShare);
    }

    private TimeSpan RetryAfter(RateLimitLease? lease) =>
        lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero
            ? after
            : _maxWait > TimeSpan.FromSeconds(1) ? _maxWait : TimeSpan.FromSeconds(1);

    public void Dispose()
    {
        _node.Dispose();
        _clients.Dispose();
        _keys?.Dispose();
    }
}

/// <summary>
/// A provider budget is spent for now: the node's, or (<see cref="KeyShare"/>) the calling key's own share of it. Nothing
/// was sent; retry after <see cref="RetryAfter"/>. Never counted as a provider failure.
/// </summary>
public sealed class ProviderBusyException(TimeSpan retryAfter, bool keyShare = false)
    : Exception(keyShare
        ? $"this key's share of the provider budget is spent; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s"
        : $"this node's budget of provider requests is spent; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>True when the calling key's own share (<c>Polygon:MaxRequestsPerSecondPerKey</c>) is spent, not the node's budget.</summary>
    public bool KeyShare { get; } = keyShare;
}

/// <summary>
/// Takes a <see cref="ProviderRateLimiter"/> permit for every attempt that reaches the provider (inside the retries), for the
/// caller the request carries (<see cref="ProviderCaller.Option"/>; none: the server).
/// </summary>
public sealed class ProviderRateLimitHandler(ProviderRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var caller = request.Options.TryGetValue(ProviderCaller.Option, out var c) ? c : ProviderCaller.Server;
        await limiter.AcquireAsync(caller, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
