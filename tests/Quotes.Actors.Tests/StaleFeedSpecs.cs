using Quotes.Actors.Upstream;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public class StaleFeedSpecs
{
    private static readonly TimeSpan After = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_silent_feed_is_stale_only_while_the_market_is_open_and_symbols_are_subscribed()
    {
        Assert.True(StaleFeed.IsStale(MarketStates.Open, 3, After, After));
        Assert.False(StaleFeed.IsStale(MarketStates.Open, 3, After - TimeSpan.FromMilliseconds(1), After));
        Assert.False(StaleFeed.IsStale(MarketStates.Open, 0, TimeSpan.FromHours(1), After));
        Assert.False(StaleFeed.IsStale(MarketStates.ExtendedHours, 3, TimeSpan.FromHours(1), After));
        Assert.False(StaleFeed.IsStale(MarketStates.Closed, 3, TimeSpan.FromHours(1), After));
    }
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.500")]
    [InlineData("-00:00:30")]
    public void Quotes_StaleAfter_under_a_second_is_refused_at_start(string staleAfter)
    {
        var problem = Assert.Single(new QuotesOptions { StaleAfter = TimeSpan.Parse(staleAfter) }.Problems());

        Assert.StartsWith("Quotes:StaleAfter must be at least 1 second", problem);
        Assert.Empty(new QuotesOptions().Problems());
    }
}
