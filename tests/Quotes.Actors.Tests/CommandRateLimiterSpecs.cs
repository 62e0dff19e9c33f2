using Quotes.Actors.Sessions;
using Xunit;

namespace Quotes.Actors.Tests;

public class CommandRateLimiterSpecs
{
    private static readonly DateTime T0 = new(2026, 11, 26, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_burst_passes_then_the_rate_applies()
    {
        var limiter = new CommandRateLimiter(perSecond: 2, burst: 3);
        Assert.True(limiter.TryTake(T0) && limiter.TryTake(T0) && limiter.TryTake(T0));
        Assert.False(limiter.TryTake(T0));
        Assert.True(limiter.TryTake(T0.AddMilliseconds(500)));
        Assert.False(limiter.TryTake(T0.AddMilliseconds(500)));
    }

    [Fact]
    public void Refusals_in_a_row_are_counted_and_reset_by_an_allowed_command()
    {
        var limiter = new CommandRateLimiter(perSecond: 1, burst: 1);
        limiter.TryTake(T0);
        for (var i = 0; i < 5; i++) limiter.TryTake(T0);
        Assert.Equal(5, limiter.RefusedInARow);
        Assert.True(limiter.TryTake(T0.AddSeconds(2)));
        Assert.Equal(0, limiter.RefusedInARow);
    }

    [Fact]
    public void A_clock_stepped_back_an_hour_takes_no_tokens_away_and_the_rate_goes_on_from_there()
    {
        var limiter = new CommandRateLimiter(perSecond: 2, burst: 3);
        Assert.True(limiter.TryTake(T0));
        var back = T0.AddHours(-1);
        Assert.True(limiter.TryTake(back) && limiter.TryTake(back));
        Assert.False(limiter.TryTake(back));
        Assert.True(limiter.TryTake(back.AddMilliseconds(500)));
    }
}
