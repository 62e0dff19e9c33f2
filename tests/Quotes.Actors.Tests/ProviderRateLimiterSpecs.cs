using Quotes.Actors.Polygon;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>The node's provider budget: permits at the configured rate, a bounded wait, then a refusal that says when to retry.</summary>
public sealed class ProviderRateLimiterSpecs
{
    [Fact]
    public async Task Past_the_rate_a_request_waits_at_most_the_queue_wait_then_is_refused_with_a_retry_after()
    {
        using var limiter = new ProviderRateLimiter(new PolygonOptions { MaxRequestsPerSecond = 1, MaxQueueWait = TimeSpan.FromMilliseconds(100) });
        await limiter.AcquireAsync(CancellationToken.None); // the one permit of this second

        var started = DateTime.UtcNow;
        var busy = await Assert.ThrowsAsync<ProviderBusyException>(() => limiter.AcquireAsync(CancellationToken.None).AsTask());

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1), "refused within the wait, not after the next permit");
        Assert.True(busy.RetryAfter >= TimeSpan.FromSeconds(1), busy.RetryAfter.ToString());
    }

    [Fact]
    public async Task A_request_that_can_be_served_within_the_wait_is_queued_not_refused()
    {
        using var limiter = new ProviderRateLimiter(new PolygonOptions { MaxRequestsPerSecond = 20, MaxQueueWait = TimeSpan.FromSeconds(5) });
        // Twice the bucket: the second half waits its turn (about a second), well within the wait.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => limiter.AcquireAsync(CancellationToken.None).AsTask()));
    }
}
