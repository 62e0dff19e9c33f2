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

        Assert.False(feed.Check(MarketStates.ExtendedHours, 3, weekend - TimeSpan.FromMinutes(1), 0, After, open.AddMinutes(-1), out _));
        Assert.False(feed.Check(MarketStates.Open, 3, weekend, 0, After, open, out _));
        Assert.False(feed.Check(MarketStates.Open, 3, weekend + After, 0, After, open + After - TimeSpan.FromSeconds(1), out _));
        Assert.True(feed.Check(MarketStates.Open, 3, weekend + After, 0, After, open + After, out var silence));
        Assert.Equal(After, silence);
        // An aggregate after the open counts as usual: silence is the shorter of the two.
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.FromSeconds(5), 0, After, open + After + After, out _));
        // Closed again: the next open starts the count afresh.
        Assert.False(feed.Check(MarketStates.Closed, 3, TimeSpan.FromHours(1), 0, After, open.AddHours(7), out _));
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.FromHours(18), 0, After, open.AddDays(1), out _));
    }

    [Fact]
    public void Silence_from_while_nothing_was_subscribed_does_not_count_the_first_symbols_get_StaleAfter()
    {
        var feed = new StaleFeed();
        var now = new DateTime(2026, 12, 7, 16, 0, 0, DateTimeKind.Utc); // Monday 11:00 New York, open since 09:30
        Assert.False(feed.Check(MarketStates.Open, 0, TimeSpan.FromMinutes(90), 0, After, now.AddMinutes(-90), out _));
        // Nobody subscribed for two minutes: nothing could trade on the connection.
        Assert.False(feed.Check(MarketStates.Open, 0, TimeSpan.FromMinutes(2), 0, After, now, out _));

        // A client comes: the silence counts from the moment its symbols are seen subscribed, not from the last aggregate.
        Assert.False(feed.Check(MarketStates.Open, 2, TimeSpan.FromMinutes(2), 0, After, now.AddSeconds(1), out var silence));
        Assert.Equal(TimeSpan.Zero, silence);
        Assert.False(feed.Check(MarketStates.Open, 2, TimeSpan.FromMinutes(2) + After, 0, After, now.AddSeconds(1) + After - TimeSpan.FromSeconds(1), out _));
        Assert.True(feed.Check(MarketStates.Open, 2, TimeSpan.FromMinutes(2) + After, 0, After, now.AddSeconds(1) + After, out silence));
        Assert.Equal(After, silence);
    }

    [Fact]
    public void Replacements_in_a_row_with_nothing_between_each_wait_twice_as_long_and_an_aggregate_starts_over()
    {
        var feed = new StaleFeed();
        var now = new DateTime(2026, 12, 7, 15, 0, 0, DateTimeKind.Utc); // Monday 10:00 New York
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.Zero, 0, After, now.AddMinutes(-30), out _)); // seen open since 09:30
        var frames = 7L; // the feed carried 7 frames of aggregates before it fell silent

        // A closure the calendar does not know: every connection is silent. 30 s, 60 s, 120 s, ... up to 10 minutes.
        double[] waits = [30, 60, 120, 240, 480, 600, 600];
        foreach (var wait in waits)
        {
            var silence = TimeSpan.FromSeconds(wait);
            Assert.False(feed.Check(MarketStates.Open, 3, silence - TimeSpan.FromSeconds(1), frames, After, now, out _));
            Assert.True(feed.Check(MarketStates.Open, 3, silence, frames, After, now, out _));
            feed.Replaced(frames);
        }
        Assert.Equal(waits.Length, feed.InARow);

        // One aggregate on the new connection: the next silence is StaleAfter again.
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.FromSeconds(1), frames + 1, After, now, out _));
        Assert.Equal(0, feed.InARow);
        Assert.True(feed.Check(MarketStates.Open, 3, After, frames + 1, After, now, out _));
    }

    [Fact]
    public void After_a_day_of_replacements_in_a_row_the_next_session_starts_with_StaleAfter()
    {
        var feed = new StaleFeed();
        var open = new DateTime(2026, 12, 7, 14, 30, 0, DateTimeKind.Utc); // Monday 09:30 New York
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.Zero, 5, After, open, out _));
        for (var i = 0; i < 4; i++) feed.Replaced(5); // an unknown closure: nothing all day, 4 replacements in a row
        Assert.Equal(4, feed.InARow);

        Assert.False(feed.Check(MarketStates.Closed, 3, TimeSpan.FromHours(10), 5, After, open.AddHours(12), out _));
        Assert.Equal(0, feed.InARow);
        var tuesday = open.AddDays(1);
        Assert.False(feed.Check(MarketStates.Open, 3, TimeSpan.FromHours(18), 5, After, tuesday, out _));
        Assert.True(feed.Check(MarketStates.Open, 3, TimeSpan.FromHours(18), 5, After, tuesday + After, out _));
    }

    [Fact]
    public void A_StaleAfter_longer_than_ten_minutes_is_never_shortened()
    {
        var feed = new StaleFeed();
        var staleAfter = TimeSpan.FromMinutes(15);
        Assert.Equal(staleAfter, feed.Wait(staleAfter));
        feed.Replaced(0);
        Assert.Equal(staleAfter, feed.Wait(staleAfter));
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
