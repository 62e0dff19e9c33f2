using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The simulated day's volume has the U-shape of a real session: the open and the close trade more than midday.</summary>
public sealed class IntradayVolumeSpecs
{
    private static double At(int hour, int minute) => IntradayVolume.Weight(new TimeSpan(hour, minute, 0));

    [Fact]
    public void The_open_and_the_close_minutes_carry_more_volume_than_midday()
    {
        var midday = At(12, 30);

        Assert.True(At(9, 30) > 3 * midday, $"open {At(9, 30)} vs midday {midday}");
        Assert.True(At(15, 59) > 3 * midday, $"close {At(15, 59)} vs midday {midday}");
        Assert.InRange(midday, 0.5, 1);
    }

    [Fact]
    public void Volume_falls_through_the_first_hour_and_rises_through_the_last()
    {
        var firstHour = Enumerable.Range(0, 60).Select(m => IntradayVolume.Weight(new TimeSpan(9, 30, 0) + TimeSpan.FromMinutes(m))).ToList();
        var lastHour = Enumerable.Range(0, 60).Select(m => IntradayVolume.Weight(new TimeSpan(15, 0, 0) + TimeSpan.FromMinutes(m))).ToList();

        Assert.Equal(firstHour.OrderDescending(), firstHour);
        Assert.Equal(lastHour.Order(), lastHour);
    }

    [Fact]
    public void The_weights_average_one_over_the_session_and_little_trades_outside_it()
    {
        var minutes = Enumerable.Range(0, 390).Select(m => IntradayVolume.Weight(IntradayVolume.SessionOpen + TimeSpan.FromMinutes(m + 0.5))).ToList();

        Assert.Equal(1, minutes.Average(), 2);
        Assert.True(At(8, 0) < 0.1 && At(16, 0) < 0.1 && At(3, 0) < 0.1);
        Assert.Equal(5_000_000 / 390.0 * At(12, 30), IntradayVolume.Expected(5_000_000, new TimeSpan(12, 30, 0), TimeSpan.FromMinutes(1)), 6);
    }
}
