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
    [Fact]
    public void Silence_from_before_the_open_does_not_count_the_feed_gets_StaleAfter_from_the_open()
    {
        var feed = new StaleFeed();
        var open = new DateTime(2026, 12, 7, 14, 30, 0, DateTimeKind.Utc); // Monday 09:30 New York
        var weekend = TimeSpan.FromHours(62);

        Assert.False(feed.Check(MarketStates.ExtendedHours, 3, weekend - TimeSpan.FromMinutes(1), After, open.AddMinutes(-1), out _));
        Assert.False(feed.Check(MarketStates.Open, 3, weekend, After, open, out _));
        Assert.False(feed.Check(MarketStates.Open, 3, weekend + After, After, open + After - TimeSpan.FromSeconds(1), out _));
        Assert.True(feed.Check(MarketStates.Open, 3, weekend + After, After, open + After, out var silence));
        Assert.Equal(After, silence);
        // An aggregate after the open counts as usual: silence is the shorter of the two.
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.FromSeconds(5), After, open + After + After, out _));
        // Closed again: the next open starts the count afresh.
        Assert.False(feed.Check(MarketStates.Closed, 3, TimeSpan.FromHours(1), After, open.AddHours(7), out _));
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.FromHours(18), After, open.AddDays(1), out _));
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
