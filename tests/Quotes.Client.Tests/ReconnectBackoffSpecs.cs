using Xunit;

namespace Quotes.Client.Tests;

public sealed class ReconnectBackoffSpecs
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Should_double_each_step_up_to_the_maximum_with_delays_between_half_and_all_of_the_step()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(7));
        double[] steps = [0.5, 1, 2, 4, 8, 16, 30, 30, 30];
        foreach (var step in steps)
        {
            var delay = backoff.Next(TimeSpan.Zero).TotalSeconds;
            Assert.InRange(delay, step / 2, step);
        }
    }

    [Fact]
    public void Should_spread_clients_cut_off_together()
    {
        var delays = Enumerable.Range(0, 20).Select(seed => new ReconnectBackoff(Min, Max, new Random(seed)).Next(TimeSpan.Zero)).Distinct().Count();
        Assert.True(delays > 15, $"only {delays} distinct first delays out of 20");
    }

    [Fact]
    public void Should_keep_growing_when_each_connection_drops_soon_after_welcome()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(3));
        var now = TimeSpan.FromMinutes(5);
        double[] steps = [0.5, 1, 2, 4, 8];
        foreach (var step in steps)
        {
            backoff.Opened(now);
            now += ReconnectBackoff.StableAfter - TimeSpan.FromMilliseconds(1);
            Assert.InRange(backoff.Next(now).TotalSeconds, step / 2, step);
        }
    }

    [Fact]
    public void Should_start_again_from_the_first_step_after_a_connection_that_stayed_up()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(3));
        for (var i = 0; i < 10; i++) backoff.Next(TimeSpan.Zero);
        backoff.Opened(TimeSpan.FromMinutes(1));
        Assert.InRange(backoff.Next(TimeSpan.FromMinutes(1) + ReconnectBackoff.StableAfter).TotalSeconds, 0.25, 0.5);
        Assert.InRange(backoff.Next(TimeSpan.FromMinutes(2)).TotalSeconds, 0.5, 1); // a failed attempt after it: one step up
    }

    [Fact]
    public void Should_wait_the_first_step_after_a_node_went_away_whatever_came_before_and_spread_clients_over_it()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(5));
        for (var i = 0; i < 10; i++) backoff.Next(TimeSpan.Zero); // a long outage first: the steps are at the maximum

        Assert.InRange(backoff.AfterGoingAway(TimeSpan.FromMinutes(1)).TotalSeconds, 0.25, 0.5);
        Assert.InRange(backoff.Next(TimeSpan.FromMinutes(1)).TotalSeconds, 0.5, 1); // that attempt failed: one step up

        var delays = Enumerable.Range(0, 20).Select(seed => new ReconnectBackoff(Min, Max, new Random(seed)).AfterGoingAway(TimeSpan.Zero)).Distinct().Count();
        Assert.True(delays > 15, $"only {delays} distinct delays out of 20 clients of a node going away");
    }

    [Fact]
    public void Should_step_up_when_nodes_keep_going_away_soon_after_welcome_and_start_again_after_a_connection_that_stayed_up()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(7));
        var now = TimeSpan.FromMinutes(5);
        // A balancer that keeps sending the client to a draining node: welcome, then 1001 a moment later, again and again.
        double[] steps = [0.5, 1, 2, 4, 8, 16, 30, 30];
        foreach (var step in steps)
        {
            backoff.Opened(now);
            now += TimeSpan.FromMilliseconds(50);
            Assert.InRange(backoff.AfterGoingAway(now).TotalSeconds, step / 2, step);
        }
        Assert.InRange(backoff.Next(now).TotalSeconds, 15, 30); // a failure after them stays up there

        // A connection that stayed up: its node's 1001 gets the first step again, and a failure after it one step up.
        backoff.Opened(now);
        now += ReconnectBackoff.StableAfter;
        Assert.InRange(backoff.AfterGoingAway(now).TotalSeconds, 0.25, 0.5);
        Assert.InRange(backoff.Next(now).TotalSeconds, 0.5, 1);
    }
}
