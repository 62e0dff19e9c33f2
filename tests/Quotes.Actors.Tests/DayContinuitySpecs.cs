using Quotes.Actors.Fanout;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public class DayContinuitySpecs
{
    private static readonly long Noon = new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static Quote Q(long timestamp, decimal high, decimal low, long volume, long seq) =>
        new() { Symbol = "AAPL", Price = 100m, High = high, Low = low, Volume = volume, Timestamp = timestamp, Seq = seq };

    [Fact]
    public void Within_a_day_an_update_is_widened_to_the_range_and_volume_already_delivered()
    {
        var next = DayContinuity.Continue(Q(Noon, 120m, 90m, 5_000, 10), Q(Noon + 1_000, 101m, 99m, 10, 11));

        Assert.Equal(Q(Noon + 1_000, 120m, 90m, 5_000, 11), next);
    }

    [Fact]
    public void An_update_that_already_covers_the_day_is_passed_on_as_it_is()
    {
        var update = Q(Noon + 1_000, 121m, 89m, 5_100, 11);
        Assert.Same(update, DayContinuity.Continue(Q(Noon, 120m, 90m, 5_000, 10), update));
    }

    [Fact]
    public void The_first_update_of_a_new_trading_day_starts_afresh()
    {
        var nextMorning = Q(Noon + 24 * 3_600_000, 101m, 99m, 10, 11);
        Assert.Same(nextMorning, DayContinuity.Continue(Q(Noon, 120m, 90m, 5_000, 10), nextMorning));
    }
}
