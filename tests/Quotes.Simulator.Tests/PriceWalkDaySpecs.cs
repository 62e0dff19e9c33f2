using System.Globalization;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// A walk's day is the New York date of the events it is asked for: the first event of a new date starts a new day, with
/// the last day's last price as its previous close, as a process that runs for days must show.
/// </summary>
public class PriceWalkDaySpecs
{
    private static long NewYorkMs(DateOnly day, TimeOnly time) => MarketCalendar.FromNewYork(day.ToDateTime(time)).ToUnixTimeMilliseconds();

    /// <summary>Walks <paramref name="day"/> from 09:30 to 15:59 New York in ten-second windows; the last window's aggregate.</summary>
    private static PolygonAggregate TradeTheSession(PriceWalk walk, DateOnly day)
    {
        var open = NewYorkMs(day, new TimeOnly(9, 30));
        PolygonAggregate last = null!;
        for (var end = open + 10_000; end <= NewYorkMs(day, new TimeOnly(15, 59)); end += 10_000) last = walk.Next(end, 10_000);
        return last;
    }

    [Theory]
    [InlineData("2026-12-01", "2026-12-02")] // Tuesday, then Wednesday
    [InlineData("2026-12-04", "2026-12-07")] // Friday, then Monday over the weekend
    public void The_first_event_of_a_new_New_York_date_starts_the_day_afresh_from_the_last_days_last_price(string from, string to)
    {
        var (day, next) = (DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture));
        var walk = new PriceWalk("AAPL", 42);
        var last = TradeTheSession(walk, day);
        var dayOpen = walk.Open;
        Assert.True(last.AccumulatedVolume > 1_000_000, $"a session trades millions, not {last.AccumulatedVolume}");

        var first = walk.Next(NewYorkMs(next, new TimeOnly(0, 0, 1)));

        Assert.Equal(last.Close, walk.PreviousClose);
        Assert.Equal(first.Volume, first.AccumulatedVolume);
        Assert.Equal(first.Open, first.OfficialOpen); // the new day's first price
        Assert.Equal(walk.Open, first.OfficialOpen);
        Assert.NotEqual(dayOpen, walk.Open);
        Assert.Equal(first.WindowVwap, first.DayVwap);
        var today = walk.Day;
        Assert.Equal((first.High, first.Low, first.Volume, first.Close), (today.High, today.Low, today.Volume, today.Price));
    }

    [Fact]
    public void A_day_that_ends_in_UTC_but_not_in_New_York_goes_on()
    {
        var day = new DateOnly(2026, 12, 1);
        var walk = new PriceWalk("MSFT", 42);
        var last = TradeTheSession(walk, day);
        var (previousClose, open) = (walk.PreviousClose, walk.Open);

        var evening = walk.Next(NewYorkMs(day, new TimeOnly(20, 0))); // 01:00 UTC the next day

        Assert.Equal(last.AccumulatedVolume + evening.Volume, evening.AccumulatedVolume);
        Assert.Equal((previousClose, open), (walk.PreviousClose, walk.Open));
    }

    [Fact]
    public void Two_walks_of_one_symbol_and_seed_roll_into_the_same_next_day()
    {
        List<decimal> TwoDays()
        {
            var walk = new PriceWalk("TSLA", 7);
            TradeTheSession(walk, new DateOnly(2026, 12, 1));
            var second = TradeTheSession(walk, new DateOnly(2026, 12, 2));
            return [walk.PreviousClose, walk.Open, second.Close, second.AccumulatedVolume];
        }

        Assert.Equal(TwoDays(), TwoDays());
    }
}
