using System.Globalization;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

public class PriceHistorySpecs
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly DateOnly Session = new(2026, 11, 24);

    [Fact]
    public void Hourly_bars_start_on_the_clock_hour_and_hold_that_hour_s_minutes()
    {
        var history = new PriceHistory(new PriceWalk("AAPL", 42));
        var minutes = history.Range("minute", 1, Session, Session, Today).ToList();
        var hours = history.Range("hour", 1, Session, Session, Today).ToList();

        Assert.All(hours, h => Assert.Equal(0, h.Time % 3_600_000));
        // The session opens at 9:30 New York: the first hourly bar is the 9:00 one, with half an hour in it.
        Assert.Equal(minutes[0].Time - 30 * 60_000, hours[0].Time);
        foreach (var hour in hours)
        {
            var inside = minutes.Where(m => m.Time >= hour.Time && m.Time < hour.Time + 3_600_000).ToList();
            Assert.Equal(inside.Sum(m => m.Volume), hour.Volume);
            Assert.Equal(inside[0].Open, hour.Open);
            Assert.Equal(inside[^1].Close, hour.Close);
            Assert.Equal(inside.Max(m => m.High), hour.High);
            Assert.Equal(inside.Min(m => m.Low), hour.Low);
        }
        Assert.Equal(30, minutes.Count(m => m.Time < hours[1].Time));
    }

    [Fact]
    public void Five_minute_bars_sit_on_five_minute_boundaries()
    {
        var history = new PriceHistory(new PriceWalk("TSLA", 42));
        var minutes = history.Range("minute", 1, Session, Session, Today).ToList();
        var fives = history.Range("minute", 5, Session, Session, Today).ToList();
        Assert.All(fives, f => Assert.Equal(0, f.Time % 300_000));
        Assert.Equal(minutes.Count / 5, fives.Count);
        Assert.Equal(minutes.Sum(m => m.Volume), fives.Sum(f => f.Volume));
    }

    [Theory]
    [InlineData("AAPL")]
    [InlineData("TSLA")]
    [InlineData("BRK.A")]
    public void A_days_minute_bars_add_up_to_its_daily_bar(string symbol)
    {
        // Found from outside: a day's minutes reached past its daily high and low, and their volumes summed to another day's.
        var history = new PriceHistory(new PriceWalk(symbol, 42));
        foreach (var day in new[] { Session, Session.AddDays(-1), new DateOnly(2025, 11, 28) }) // the Friday after Thanksgiving 2025 closed at 13:00
        {
            var daily = history.Range("day", 1, day, day, Today).Single();
            var minutes = history.Range("minute", 1, day, day, Today).ToList();

            Assert.Equal((daily.Open, daily.High, daily.Low, daily.Close, daily.Volume),
                (minutes[0].Open, minutes.Max(m => m.High), minutes.Min(m => m.Low), minutes[^1].Close, minutes.Sum(m => m.Volume)));
            Assert.All(minutes, m => Assert.True(m.Low <= Math.Min(m.Open, m.Close) && m.High >= Math.Max(m.Open, m.Close) && m.Volume >= 0, $"{m}"));
        }
    }

    [Fact]
    public void A_previous_session_the_walk_never_traded_is_the_same_bar_in_its_daily_history()
    {
        // Found from outside: /prev, the grouped bars and a snapshot's prevDay (the walk's previous day) gave one open, high,
        // low and volume for a session, the daily history another; only the close agreed.
        var walk = new PriceWalk("AAPL", 42);
        var history = new PriceHistory(walk);
        walk.RollTo(Today);

        var previous = walk.PreviousDay;
        var daily = history.Range("day", 1, previous.Date!.Value, previous.Date.Value, Today).Single();

        Assert.Equal(Session, previous.Date);
        Assert.Equal((previous.Open, previous.High, previous.Low, previous.Close, previous.Volume, previous.Vwap, previous.Transactions),
            (daily.Open, daily.High, daily.Low, daily.Close, daily.Volume, daily.Vwap, daily.Transactions));
        Assert.Equal(walk.PreviousClose, daily.Close);
    }

    [Fact]
    public void After_the_date_changes_the_last_sessions_bar_is_the_walks_day_and_today_starts_fresh()
    {
        var (day, next) = (new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2));
        var walk = new PriceWalk("AAPL", 42);
        var history = new PriceHistory(walk);
        var earlier = history.Range("day", 1, day.AddDays(-14), day.AddDays(-1), day).ToList();
        var open = walk.Open;
        PolygonAggregate last = null!;
        for (var i = 1; i <= 390; i++) last = walk.Next(NewYorkMs(day, new TimeOnly(9, 30)) + i * 60_000L, 60_000);

        var bars = history.Range("day", 1, day.AddDays(-14), next, next).ToList();

        Assert.Equal(earlier, bars[..^2]); // a new day rewrites no earlier session
        var (session, today) = (bars[^2], bars[^1]);
        Assert.Equal((open, last.Close, last.AccumulatedVolume), (session.Open, session.Close, session.Volume));
        Assert.Equal((walk.Open, walk.Open, 0L), (today.Open, today.Close, today.Volume));
        Assert.Equal(last.Close, walk.PreviousClose);
    }

    [Fact]
    public void Week_bars_begin_on_Sunday_and_hold_the_whole_week_of_a_range_that_starts_midweek()
    {
        // Found in an audit: a week bar began at the range's first session, so a range from a Wednesday had a three-day
        // first bar stamped Wednesday. Polygon snaps weeks to Sunday midnight New York and widens the range to whole weeks.
        var history = new PriceHistory(new PriceWalk("AAPL", 42));
        var (wednesday, friday) = (new DateOnly(2026, 11, 4), new DateOnly(2026, 11, 20));
        var days = history.Range("day", 1, new DateOnly(2026, 11, 2), friday, Today).ToList();

        var weeks = history.Range("week", 1, wednesday, friday, Today).ToList();

        Assert.Equal([NewYorkMs(new(2026, 11, 1), TimeOnly.MinValue), NewYorkMs(new(2026, 11, 8), TimeOnly.MinValue), NewYorkMs(new(2026, 11, 15), TimeOnly.MinValue)],
            weeks.Select(w => w.Time));
        for (var i = 0; i < weeks.Count; i++)
        {
            var inside = days.Where(d => d.Time >= weeks[i].Time && d.Time < weeks[i].Time + 7 * 86_400_000L).ToList();
            Assert.Equal(5, inside.Count);
            Assert.Equal((inside[0].Open, inside.Max(d => d.High), inside.Min(d => d.Low), inside[^1].Close, inside.Sum(d => d.Volume)),
                (weeks[i].Open, weeks[i].High, weeks[i].Low, weeks[i].Close, weeks[i].Volume));
        }
        var fortnights = history.Range("week", 2, wednesday, friday, Today).ToList();
        Assert.Equal([weeks[0].Time, weeks[2].Time], fortnights.Select(w => w.Time));
        Assert.Equal(weeks[0].Volume + weeks[1].Volume, fortnights[0].Volume);
    }

    [Theory]
    [InlineData("month", 1, "2026-08-01,2026-09-01,2026-10-01")]
    [InlineData("month", 2, "2026-08-01,2026-10-01")]
    [InlineData("quarter", 1, "2026-07-01,2026-10-01")]
    [InlineData("year", 1, "2026-01-01")]
    public void Month_quarter_and_year_bars_begin_on_the_first_day_of_their_window(string timespan, int multiplier, string starts)
    {
        var history = new PriceHistory(new PriceWalk("MSFT", 42));
        var (from, to) = (new DateOnly(2026, 8, 17), new DateOnly(2026, 10, 30));
        var days = history.Range("day", 1, new DateOnly(2026, 1, 1), Today, Today).ToList();

        var bars = history.Range(timespan, multiplier, from, to, Today).ToList();

        Assert.Equal(starts.Split(',').Select(d => NewYorkMs(DateOnly.Parse(d, CultureInfo.InvariantCulture), TimeOnly.MinValue)), bars.Select(b => b.Time));
        // Each window holds every session from its first day on, before the range's own first day too.
        var first = days.Where(d => d.Time >= bars[0].Time && (bars.Count == 1 || d.Time < bars[1].Time)).ToList();
        Assert.Equal((first[0].Open, first.Sum(d => d.Volume)), (bars[0].Open, bars[0].Volume));
    }

    [Theory]
    [InlineData("week", 1, "2026-11-04", "2026-10-29")] // to before from, in the week before
    [InlineData("month", 1, "2026-08-17", "2026-08-05")] // to before from, in the same month
    [InlineData("week", 1, "2010-01-04", "2010-03-26")] // all of it before the history's first session
    public void A_range_that_ends_before_it_starts_or_before_the_history_has_no_bars(string timespan, int multiplier, string from, string to)
    {
        // Found in review: the first calendar window was laid from `from` and returned whole even when `to` came first.
        var history = new PriceHistory(new PriceWalk("AAPL", 42));
        Assert.Empty(history.Range(timespan, multiplier, DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture), Today));
    }

    [Theory]
    [InlineData("year", 9999, "2021-01-01")]
    [InlineData("week", int.MaxValue, "2024-03-06")]
    [InlineData("month", int.MaxValue, "0001-01-01")]
    [InlineData("quarter", 1, "0001-01-01")]
    public void A_huge_multiplier_or_an_ancient_start_is_one_window_of_the_whole_history_not_a_crash(string timespan, int multiplier, string from)
    {
        // Found in review: window ends past the year 9999, a Sunday before 0001-01-01, or 7 × multiplier overflowing threw
        // (a 500 from the simulator).
        var history = new PriceHistory(new PriceWalk("AAPL", 42));
        var bars = history.Range(timespan, multiplier, DateOnly.Parse(from, CultureInfo.InvariantCulture), Today, Today).ToList();
        Assert.NotEmpty(bars);
        Assert.True(multiplier == 1 || bars.Count == 1, $"{bars.Count} bars");
    }

    private static long NewYorkMs(DateOnly day, TimeOnly time) => MarketCalendar.FromNewYork(day.ToDateTime(time)).ToUnixTimeMilliseconds();
}
