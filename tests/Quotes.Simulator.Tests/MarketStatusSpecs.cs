using Quotes.Contracts;
using Quotes.Simulator.Rest;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The simulator's market status (<c>/v1/marketstatus/now</c>) follows the NYSE calendar, early closes included.</summary>
public sealed class MarketStatusSpecs
{
    [Theory]
    [InlineData("2025-11-28T21:30:00Z", MarketStates.ExtendedHours, true)] // the day after Thanksgiving, 16:30 New York: after the 13:00 close
    [InlineData("2025-11-28T22:30:00Z", MarketStates.Closed, false)]       // 17:30: post-market ended at 17:00
    [InlineData("2025-11-26T23:30:00Z", MarketStates.ExtendedHours, true)] // an ordinary Wednesday, 18:30
    public void After_hours_end_when_the_calendar_says(string utc, string market, bool afterHours)
    {
        var status = ReferenceEndpoints.MarketStatus(DateTimeOffset.Parse(utc));

        Assert.Equal(market, (string?)status["market"]);
        Assert.Equal(afterHours, (bool?)status["afterHours"]);
        Assert.Equal(false, (bool?)status["earlyHours"]);
    }
}
