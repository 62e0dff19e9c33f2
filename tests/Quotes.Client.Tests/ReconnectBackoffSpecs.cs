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
            var delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, step / 2, step);
        }
    }

    [Fact]
    public void Should_spread_clients_cut_off_together()
    {
        var delays = Enumerable.Range(0, 20).Select(seed => new ReconnectBackoff(Min, Max, new Random(seed)).Next()).Distinct().Count();
        Assert.True(delays > 15, $"only {delays} distinct first delays out of 20");
    }

    [Fact]
    public void Should_start_again_from_the_first_step_after_a_reset()
    {
        var backoff = new ReconnectBackoff(Min, Max, new Random(3));
        for (var i = 0; i < 10; i++) backoff.Next();
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.25, 0.5);
    }
}
