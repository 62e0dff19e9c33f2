using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class FenceSettleSpecs
{
    private static readonly DateTime T = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2); // the failure detector's acceptable heartbeat pause
    private static readonly TimeSpan LongFreeze = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private static FenceSettle TrippedBy(TimeSpan gap)
    {
        var settle = new FenceSettle(Pause);
        settle.Reset(gap);
        return settle;
    }

    [Fact]
    public void After_a_long_freeze_the_cluster_settles_after_looking_healthy_for_the_whole_period()
    {
        var settle = TrippedBy(LongFreeze);

        Assert.False(settle.Settled(healthy: true, alone: false, T));
        Assert.False(settle.Settled(healthy: true, alone: false, T + FenceSettle.After - Ms));
        Assert.True(settle.Settled(healthy: true, alone: false, T + FenceSettle.After));
    }

    [Fact]
    public void A_freeze_as_long_as_the_acceptable_pause_counts_as_long()
    {
        var settle = TrippedBy(Pause);

        Assert.False(settle.Settled(healthy: true, alone: false, T));
        Assert.False(settle.Settled(healthy: true, alone: false, T + FenceSettle.After - Ms));
    }

    [Fact]
    public void After_a_freeze_nobody_can_have_noticed_a_second_of_health_is_enough()
    {
        var settle = TrippedBy(Pause - TimeSpan.FromMilliseconds(300)); // 1.7 s: a stall on a busy machine

        Assert.False(settle.Settled(healthy: true, alone: false, T));
        Assert.False(settle.Settled(healthy: true, alone: false, T + FenceSettle.AfterShortFreeze - Ms));
        Assert.True(settle.Settled(healthy: true, alone: false, T + FenceSettle.AfterShortFreeze));
    }

    [Fact]
    public void A_node_alone_in_its_cluster_settles_at_its_first_healthy_check_whatever_the_freeze()
    {
        var settle = TrippedBy(LongFreeze);

        Assert.False(settle.Settled(healthy: false, alone: true, T)); // not up yet (or itself unreachable-marked): no
        Assert.True(settle.Settled(healthy: true, alone: true, T.AddMilliseconds(250)));
    }

    [Fact]
    public void One_unhealthy_check_starts_the_period_over()
    {
        var settle = TrippedBy(LongFreeze);
        settle.Settled(healthy: true, alone: false, T);

        Assert.False(settle.Settled(healthy: false, alone: false, T.AddSeconds(5)));
        Assert.False(settle.Settled(healthy: true, alone: false, T.AddSeconds(6)));
        Assert.False(settle.Settled(healthy: true, alone: false, T.AddSeconds(6) + FenceSettle.After - Ms));
        Assert.True(settle.Settled(healthy: true, alone: false, T.AddSeconds(6) + FenceSettle.After));
    }

    [Fact]
    public void A_new_trip_starts_the_period_over_with_the_wait_its_own_freeze_calls_for()
    {
        var settle = TrippedBy(TimeSpan.FromSeconds(1.6));
        settle.Settled(healthy: true, alone: false, T);

        settle.Reset(LongFreeze);

        Assert.False(settle.Settled(healthy: true, alone: false, T + FenceSettle.After));
        Assert.False(settle.Settled(healthy: true, alone: false, T + FenceSettle.After + FenceSettle.AfterShortFreeze));
        Assert.True(settle.Settled(healthy: true, alone: false, T + FenceSettle.After + FenceSettle.After));
    }
}
