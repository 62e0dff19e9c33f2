using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class FenceSettleSpecs
{
    private static readonly TimeSpan T = TimeSpan.FromHours(3); // a monotonic clock's reading
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2); // the failure detector's acceptable heartbeat pause
    private static readonly TimeSpan LongFreeze = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Check = TimeSpan.FromMilliseconds(250); // the actor checks this often
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private static FenceSettle TrippedBy(TimeSpan gap)
    {
        var settle = new FenceSettle(Pause);
        settle.Reset(gap, T - Check);
        return settle;
    }

    /// <summary>Healthy checks every <see cref="Check"/> from <paramref name="from"/> up to <paramref name="until"/>; the last one's answer.</summary>
    private static bool HealthyUntil(FenceSettle settle, TimeSpan from, TimeSpan until, bool alone = false)
    {
        var settled = false;
        for (var at = from; at <= until; at += Check) settled = settle.Settled(healthy: true, alone, at);
        return settled;
    }

    [Fact]
    public void After_a_long_freeze_the_cluster_settles_after_looking_healthy_for_the_whole_period()
    {
        var settle = TrippedBy(LongFreeze);

        Assert.False(HealthyUntil(settle, T, T + FenceSettle.After - Check));
        Assert.True(settle.Settled(healthy: true, alone: false, T + FenceSettle.After));
    }

    [Fact]
    public void A_freeze_as_long_as_the_acceptable_pause_counts_as_long()
    {
        var settle = TrippedBy(Pause);

        Assert.False(HealthyUntil(settle, T, T + FenceSettle.After - Check));
    }

    [Fact]
    public void After_a_freeze_too_short_to_get_the_node_downed_two_seconds_of_health_are_enough()
    {
        var settle = TrippedBy(Pause - TimeSpan.FromMilliseconds(300)); // 1.7 s: a stall on a busy machine

        Assert.False(HealthyUntil(settle, T, T + FenceSettle.AfterShortFreeze - Check));
        Assert.True(settle.Settled(healthy: true, alone: false, T + FenceSettle.AfterShortFreeze));
        Assert.True(FenceSettle.AfterShortFreeze < FenceSettle.After);
    }

    [Fact]
    public void A_node_alone_in_its_cluster_settles_at_its_first_healthy_check_whatever_the_freeze()
    {
        var settle = TrippedBy(LongFreeze);

        Assert.False(settle.Settled(healthy: false, alone: true, T)); // not up (yet): no
        Assert.True(settle.Settled(healthy: true, alone: true, T + Check));
    }

    [Fact]
    public void One_unhealthy_check_starts_the_period_over()
    {
        var settle = TrippedBy(LongFreeze);
        Assert.False(HealthyUntil(settle, T, T + TimeSpan.FromSeconds(5)));

        Assert.False(settle.Settled(healthy: false, alone: false, T + TimeSpan.FromSeconds(5) + Check));
        var again = T + TimeSpan.FromSeconds(5) + 2 * Check; // healthy again from the next check
        Assert.False(HealthyUntil(settle, again, again + FenceSettle.After - Check));
        Assert.True(settle.Settled(healthy: true, alone: false, again + FenceSettle.After));
    }

    [Fact]
    public void A_new_trip_starts_the_period_over_with_the_wait_its_own_freeze_calls_for()
    {
        var settle = TrippedBy(TimeSpan.FromSeconds(1.6));
        Assert.False(HealthyUntil(settle, T, T + TimeSpan.FromSeconds(1)));

        settle.Reset(LongFreeze, T + TimeSpan.FromSeconds(1));

        var from = T + TimeSpan.FromSeconds(1) + Check;
        Assert.False(HealthyUntil(settle, from, from + FenceSettle.After - Check));
        Assert.True(settle.Settled(healthy: true, alone: false, from + FenceSettle.After));
    }

    [Fact]
    public void A_second_freeze_while_settling_is_a_long_one_though_the_tripped_fence_does_not_report_it()
    {
        // 1.7 s first (the short wait), then the process stops again for 20 s between two checks: the others may have
        // downed it meanwhile, and its cluster view may not show it yet at the first check after.
        var settle = TrippedBy(TimeSpan.FromSeconds(1.7));
        Assert.False(settle.Settled(healthy: true, alone: false, T));

        var resumed = T + TimeSpan.FromSeconds(20);
        Assert.False(HealthyUntil(settle, resumed, resumed + FenceSettle.After - Check));
        Assert.True(settle.Settled(healthy: true, alone: false, resumed + FenceSettle.After));
    }

    [Fact]
    public void A_second_freeze_before_the_first_check_after_a_trip_is_a_long_one_too()
    {
        var settle = new FenceSettle(Pause);
        settle.Reset(TimeSpan.FromSeconds(1.7), T); // a short freeze, told at T

        var resumed = T + TimeSpan.FromSeconds(20); // frozen again before the first check
        Assert.False(HealthyUntil(settle, resumed, resumed + FenceSettle.After - Check));
        Assert.True(settle.Settled(healthy: true, alone: false, resumed + FenceSettle.After));
    }
}
