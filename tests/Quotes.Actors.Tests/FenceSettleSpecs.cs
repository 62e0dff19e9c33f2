using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class FenceSettleSpecs
{
    private static readonly DateTime T = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_cluster_settles_after_looking_healthy_for_the_whole_period()
    {
        var settle = new FenceSettle();

        Assert.False(settle.Settled(healthy: true, T));
        Assert.False(settle.Settled(healthy: true, T + FenceSettle.After - TimeSpan.FromMilliseconds(1)));
        Assert.True(settle.Settled(healthy: true, T + FenceSettle.After));
    }

    [Fact]
    public void One_unhealthy_check_starts_the_period_over()
    {
        var settle = new FenceSettle();
        settle.Settled(healthy: true, T);

        Assert.False(settle.Settled(healthy: false, T.AddSeconds(5)));
        Assert.False(settle.Settled(healthy: true, T.AddSeconds(6)));
        Assert.False(settle.Settled(healthy: true, T.AddSeconds(6) + FenceSettle.After - TimeSpan.FromMilliseconds(1)));
        Assert.True(settle.Settled(healthy: true, T.AddSeconds(6) + FenceSettle.After));
    }

    [Fact]
    public void A_new_trip_starts_the_period_over()
    {
        var settle = new FenceSettle();
        settle.Settled(healthy: true, T);

        settle.Reset();

        Assert.False(settle.Settled(healthy: true, T + FenceSettle.After));
    }
}
