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
}
