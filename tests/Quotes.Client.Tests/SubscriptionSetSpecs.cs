using Xunit;

namespace Quotes.Client.Tests;

public sealed class SubscriptionSetSpecs
{
    [Fact]
    public void Should_hold_what_the_server_confirmed_until_it_confirms_the_release()
    {
        var set = new SubscriptionSet();
        set.Confirmed(["TSLA", "AAPL"]);
        set.Confirmed(["AAPL", "MSFT"]);
        set.Released(["TSLA", "NVDA"]);
        Assert.Equal(["AAPL", "MSFT"], set.Snapshot());
    }

    [Fact]
    public void Should_drop_at_once_what_the_caller_releases()
    {
        var set = new SubscriptionSet();
        set.Confirmed(["AAPL", "MSFT", "TSLA"]);
        Assert.Equal(["MSFT", "NVDA"], set.Release([" msft", "NVDA"]));
        Assert.Equal(["AAPL", "TSLA"], set.Snapshot());
    }

    [Fact]
    public void Should_drop_nothing_when_the_server_will_refuse_the_release_whole()
    {
        var set = new SubscriptionSet();
        set.Confirmed(["AAPL", "MSFT"]);
        Assert.Empty(set.Release(["MSFT", "not a symbol"]));
        Assert.Equal(["AAPL", "MSFT"], set.Snapshot());
    }

    [Fact]
    public void Should_tell_which_symbols_of_an_earlier_request_were_released_since()
    {
        var set = new SubscriptionSet();
        set.Confirmed(["AAPL", "MSFT"]);
        var resubscribed = set.Snapshot();
        set.Release(["MSFT"]);
        Assert.Equal(["MSFT"], set.NotHeld(resubscribed));
        Assert.True(set.Holds("AAPL"));
        Assert.False(set.Holds("MSFT"));
    }
}
