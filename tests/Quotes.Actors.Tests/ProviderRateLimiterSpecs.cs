using Quotes.Actors.Upstream.Provider;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>
/// The node's provider budget: permits at the configured rate, a bounded wait, then a refusal that says when to retry; each
/// key within its own share, and a share kept for the server's own calls.
/// </summary>
public sealed class ProviderRateLimiterSpecs
{
    private static readonly ProviderCaller KeyA = ProviderCaller.Client("#0");
    private static readonly ProviderCaller KeyB = ProviderCaller.Client("#1");

    [Fact]
    public async Task Past_the_rate_a_request_waits_at_most_the_queue_wait_then_is_refused_with_a_retry_after()
    {
        using var limiter = new ProviderRateLimiter(new PolygonOptions { MaxRequestsPerSecond = 1, MaxQueueWait = TimeSpan.FromMilliseconds(100) });
        await limiter.AcquireAsync(ProviderCaller.Server, CancellationToken.None); // the one permit of this second

        // The next permit comes with the next second; the request may wait 100 ms. Had it waited for the permit, it would
        // have been granted it: being refused at all shows the wait ended first. (No clock bound here: on a loaded machine
        // the refusal itself may be scheduled late, which says nothing about the limiter.)
        var busy = await Assert.ThrowsAsync<ProviderBusyException>(() => limiter.AcquireAsync(ProviderCaller.Server, CancellationToken.None).AsTask());

        Assert.True(busy.RetryAfter >= TimeSpan.FromSeconds(1), busy.RetryAfter.ToString());
        Assert.False(busy.KeyShare);
    }

    [Fact]
    public async Task A_request_that_can_be_served_within_the_wait_is_queued_not_refused()
    {
        using var limiter = new ProviderRateLimiter(new PolygonOptions { MaxRequestsPerSecond = 20, MaxQueueWait = TimeSpan.FromSeconds(5) });
        // Twice the bucket: the second half waits its turn (about a second), well within the wait.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => limiter.AcquireAsync(ProviderCaller.Server, CancellationToken.None).AsTask()));
    }

    [Fact]
    public async Task A_key_past_its_share_is_refused_as_such_while_another_key_and_the_server_still_get_permits()
    {
        using var limiter = new ProviderRateLimiter(new PolygonOptions
        {
            MaxRequestsPerSecond = 10, ReservedRequestsPerSecond = 2, MaxRequestsPerSecondPerKey = 1, MaxQueueWait = TimeSpan.Zero,
        });

        // Key A asks for ten times its share at once: its one permit, then refusals naming its share.
        var flood = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                await limiter.AcquireAsync(KeyA, CancellationToken.None);
                return (ProviderBusyException?)null;
            }
            catch (ProviderBusyException e)
            {
                return e;
            }
        }));
        Assert.Equal(1, flood.Count(e => e is null));
        Assert.All(flood.OfType<ProviderBusyException>(), e => Assert.True(e.KeyShare, e.Message));

        // Nothing of that came out of the others' shares: key B and the server get theirs at once (no waiting allowed here).
        await limiter.AcquireAsync(KeyB, CancellationToken.None);
        await limiter.AcquireAsync(ProviderCaller.Server, CancellationToken.None);
    }

    [Fact]
    public async Task Clients_that_spent_their_whole_share_leave_the_server_its_reserve()
    {
        using var limiter = new ProviderRateLimiter(new PolygonOptions
        {
            MaxRequestsPerSecond = 3, ReservedRequestsPerSecond = 2, MaxRequestsPerSecondPerKey = 0, MaxQueueWait = TimeSpan.Zero,
        });

        // Clients together may take 1 of the 3; key B after key A is refused as the node's budget, not a key's share.
        await limiter.AcquireAsync(KeyA, CancellationToken.None);
        var busy = await Assert.ThrowsAsync<ProviderBusyException>(() => limiter.AcquireAsync(KeyB, CancellationToken.None).AsTask());
        Assert.False(busy.KeyShare);

        // The server's 2 are still there.
        for (var i = 0; i < 2; i++) await limiter.AcquireAsync(ProviderCaller.Server, CancellationToken.None);
    }

    [Theory]
    [InlineData(0, null, null, "Polygon:MaxRequestsPerSecond must be at least 1")]
    [InlineData(10, 10, null, "Polygon:ReservedRequestsPerSecond must be at least 0 and less than")]
    [InlineData(10, 2, 9, "Polygon:MaxRequestsPerSecondPerKey must be from 0")]
    [InlineData(10, null, -1, "Polygon:MaxRequestsPerSecondPerKey must be from 0")]
    public void Budget_settings_that_cannot_work_are_named(int perSecond, int? reserved, int? perKey, string problem)
    {
        var options = new PolygonOptions { MaxRequestsPerSecond = perSecond, ReservedRequestsPerSecond = reserved, MaxRequestsPerSecondPerKey = perKey };

        Assert.Contains(options.Problems(), p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_keep_a_fifth_for_the_server_and_give_each_key_a_fifth()
    {
        var options = new PolygonOptions();

        Assert.Empty(options.Problems());
        Assert.Equal((50, 10, 10), (options.MaxRequestsPerSecond, options.ReservedRate, options.PerKeyRate));
    }
}
