using Xunit;

namespace Quotes.Actors.Tests;

public sealed class LocalClockSpecs
{
    [Fact]
    public void Reads_the_wall_clock_once_then_moves_only_with_the_monotonic_clock()
    {
        var time = new SteppedWallClock();
        var clock = new LocalClock(time);
        var start = clock.Now;
        Assert.InRange(start, DateTime.UtcNow - TimeSpan.FromSeconds(5), DateTime.UtcNow);

        time.Step(TimeSpan.FromHours(1));
        var afterForward = clock.Now;
        time.Step(TimeSpan.FromHours(-3));
        var afterBack = clock.Now;

        Assert.InRange(afterForward - start, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.InRange(afterBack - afterForward, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal(DateTimeKind.Utc, afterBack.Kind);
    }
}
