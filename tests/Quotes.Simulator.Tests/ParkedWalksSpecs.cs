using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>Which walks the market keeps once it stops listing them: those whose New York day is still going, until it is over.</summary>
public class ParkedWalksSpecs
{
    private static readonly DateOnly Day = new(2026, 12, 1);

    private static PriceWalk WalkedOn(DateOnly day, string symbol = "ZZQX")
    {
        var walk = new PriceWalk(symbol, 42);
        walk.Next(MarketCalendar.FromNewYork(day.ToDateTime(new TimeOnly(10, 0))).ToUnixTimeMilliseconds());
        return walk;
    }

    [Fact]
    public void A_walk_whose_day_is_still_going_is_kept_and_taken_back_once()
    {
        var parked = new ParkedWalks();
        var walk = WalkedOn(Day);

        Assert.True(parked.Park(walk, Day));

        Assert.True(parked.TryTake("ZZQX", out var back));
        Assert.Same(walk, back);
        Assert.False(parked.TryTake("ZZQX", out _));
    }

    [Fact]
    public void A_walk_that_never_stepped_or_whose_day_is_over_is_not_kept()
    {
        var parked = new ParkedWalks();

        Assert.False(parked.Park(new PriceWalk("ZZNEW", 42), Day)); // a walk made again is the same walk
        Assert.False(parked.Park(WalkedOn(Day), Day.AddDays(1)));
        Assert.Equal(0, parked.Count);
    }

    [Fact]
    public void Kept_walks_are_forgotten_once_their_day_is_over()
    {
        var parked = new ParkedWalks();
        parked.Park(WalkedOn(Day, "ZZONE"), Day);
        parked.Park(WalkedOn(Day.AddDays(1), "ZZTWO"), Day);

        parked.ForgetDaysBefore(Day);
        Assert.Equal(2, parked.Count);
        parked.ForgetDaysBefore(Day.AddDays(1));

        Assert.False(parked.TryTake("ZZONE", out _));
        Assert.True(parked.TryTake("ZZTWO", out _));
    }

    [Fact]
    public void Past_its_bound_a_walk_is_not_kept()
    {
        var parked = new ParkedWalks(maxWalks: 2);
        parked.Park(WalkedOn(Day, "ZZONE"), Day);
        parked.Park(WalkedOn(Day, "ZZTWO"), Day);

        Assert.False(parked.Park(WalkedOn(Day, "ZZTHREE"), Day));
        Assert.Equal(2, parked.Count);
    }
}
