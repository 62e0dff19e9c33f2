using Quotes.Contracts;
using Xunit;

namespace Quotes.Contracts.Tests;

public class MarketCalendarSpecs
{
    [Theory]
    [InlineData("2026-11-25T15:00:00Z", MarketStates.Open)]          // Wed 10:00 New York (EST)
    [InlineData("2026-11-25T14:00:00Z", MarketStates.ExtendedHours)] // Wed 09:00
    [InlineData("2026-11-25T21:30:00Z", MarketStates.ExtendedHours)] // Wed 16:30
    [InlineData("2026-11-26T02:00:00Z", MarketStates.Closed)]        // Wed 21:00
    [InlineData("2026-11-26T16:00:00Z", MarketStates.Closed)]        // Thanksgiving
    [InlineData("2026-11-27T17:30:00Z", MarketStates.Open)]          // Fri 12:30, early close day
    [InlineData("2026-11-27T18:30:00Z", MarketStates.ExtendedHours)] // Fri 13:30, after the early close
    [InlineData("2026-11-28T15:00:00Z", MarketStates.Closed)]        // Saturday
    [InlineData("2026-07-01T13:45:00Z", MarketStates.Open)]          // Wed 09:45 (EDT)
    [InlineData("2026-07-03T14:00:00Z", MarketStates.Closed)]        // Independence Day (Sat) observed Friday
    [InlineData("2026-04-03T14:00:00Z", MarketStates.Closed)]        // Good Friday 2026
    public void Session_follows_New_York_time_and_the_holiday_calendar(string utc, string expected) =>
        Assert.Equal(expected, MarketCalendar.StateAt(DateTimeOffset.Parse(utc)));

    [Theory]
    [InlineData("2025-11-28T21:59:00Z", MarketStates.ExtendedHours)] // Fri after Thanksgiving 16:59 New York (EST), early close
    [InlineData("2025-11-28T22:00:00Z", MarketStates.Closed)]        // 17:00: post-market ends four hours after the 13:00 close
    [InlineData("2025-07-03T21:30:00Z", MarketStates.Closed)]        // Thu July 3, 17:30 (EDT)
    [InlineData("2025-12-24T22:30:00Z", MarketStates.Closed)]        // Wed Christmas Eve, 17:30
    [InlineData("2025-11-27T00:59:00Z", MarketStates.ExtendedHours)] // Wed 19:59, an ordinary day
    [InlineData("2025-11-27T01:00:00Z", MarketStates.Closed)]        // Wed 20:00
    public void Post_market_ends_at_17_00_on_early_close_days_and_at_20_00_otherwise(string utc, string expected) =>
        Assert.Equal(expected, MarketCalendar.StateAt(DateTimeOffset.Parse(utc)));

    [Theory]
    [InlineData("2026-01-01")]
    [InlineData("2026-01-19")]
    [InlineData("2026-02-16")]
    [InlineData("2026-04-03")]
    [InlineData("2026-05-25")]
    [InlineData("2026-06-19")]
    [InlineData("2026-07-03")]
    [InlineData("2026-09-07")]
    [InlineData("2026-11-26")]
    [InlineData("2026-12-25")]
    [InlineData("2027-12-24")]
    [InlineData("2028-06-19")]
    public void Known_NYSE_holidays_are_holidays(string date) => Assert.True(MarketCalendar.IsHoliday(DateOnly.Parse(date)));

    [Theory]
    [InlineData("2026-11-27")]
    [InlineData("2026-07-02")]
    [InlineData("2027-12-31")]
    [InlineData("2026-12-24")]
    public void Ordinary_days_are_not_holidays(string date) => Assert.False(MarketCalendar.IsHoliday(DateOnly.Parse(date)));

    [Fact]
    public void The_previous_trading_day_skips_weekends_and_holidays() =>
        Assert.Equal(new DateOnly(2026, 11, 25), MarketCalendar.PreviousTradingDay(new DateOnly(2026, 11, 27)));
}
