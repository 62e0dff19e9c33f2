using Quotes.Actors.Market;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public class MarketClockSpecs
{
    [Theory]
    [InlineData("2026-11-25T15:00:00Z", MarketStates.Open)]          // Wed 10:00 New York (EST)
    [InlineData("2026-11-25T14:00:00Z", MarketStates.ExtendedHours)] // Wed 09:00
    [InlineData("2026-11-25T21:30:00Z", MarketStates.ExtendedHours)] // Wed 16:30
    [InlineData("2026-11-26T02:00:00Z", MarketStates.Closed)]        // Wed 21:00
    [InlineData("2026-11-28T15:00:00Z", MarketStates.Closed)]        // Saturday
    [InlineData("2026-07-01T13:45:00Z", MarketStates.Open)]          // Wed 09:45 (EDT)
    public void Session_follows_New_York_time(string utc, string expected) =>
        Assert.Equal(expected, MarketClock.StateAt(DateTimeOffset.Parse(utc)));
}
