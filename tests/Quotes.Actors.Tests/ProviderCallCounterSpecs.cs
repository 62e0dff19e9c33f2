using Quotes.Actors.Upstream.Provider;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>Provider calls are counted by endpoint: the label never carries a symbol, a date or the query.</summary>
public sealed class ProviderCallCounterSpecs
{
    [Theory]
    [InlineData("https://api.polygon.io/v2/aggs/ticker/AAPL/prev?adjusted=true", "aggs/prev")]
    [InlineData("https://api.polygon.io/v2/aggs/grouped/locale/us/market/stocks/2026-11-27?adjusted=true", "aggs/grouped")]
    [InlineData("https://api.polygon.io/v2/aggs/ticker/BRK.B/range/1/day/2026-01-02/2026-01-05?limit=50", "aggs/range")]
    [InlineData("https://api.polygon.io/v2/snapshot/locale/us/markets/stocks/tickers/MSFT", "snapshot/ticker")]
    [InlineData("https://api.polygon.io/v2/snapshot/locale/us/markets/stocks/tickers?tickers=A,B", "snapshot/tickers")]
    [InlineData("https://api.polygon.io/v3/reference/tickers?search=app", "reference/tickers")]
    [InlineData("https://api.polygon.io/v3/reference/options/contracts?underlying_ticker=AAPL", "reference/options")]
    [InlineData("https://api.polygon.io/v3/snapshot/options/AAPL?limit=250&strike_price.gte=200", "snapshot/options")]
    [InlineData("https://api.polygon.io/v1/marketstatus/now", "marketstatus")]
    [InlineData("https://api.polygon.io/v2/reference/news?ticker=AAPL", "other")]
    public void Routes_are_labelled_without_their_parameters(string url, string route) =>
        Assert.Equal(route, ProviderCallCounter.RouteOf(new Uri(url)));
}
