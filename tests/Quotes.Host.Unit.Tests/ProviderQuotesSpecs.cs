using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Host.Api;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>The REST quote made from the provider's snapshot (<c>source: snapshot</c>).</summary>
public sealed class ProviderQuotesSpecs
{
    private static readonly PolygonSnapshotBar PreviousDay = new(98m, 101m, 97m, 100m, 50_000_000, 99.5m);

    private static PolygonTickerSnapshot Snapshot(PolygonSnapshotBar? day, PolygonSnapshotBar? prevDay = null) =>
        new("AAPL", 1.5m, 1.5m, 1_764_000_000_000_000_000, day, prevDay ?? PreviousDay, null, new PolygonSnapshotTrade(101.5m, 1_764_000_000_000_000_000));

    [Fact]
    public void A_day_of_zeros_before_the_first_trades_is_unknown_not_zero()
    {
        // Polygon clears snapshots at 03:30 New York and fills them in as trades arrive: a last trade, a day still all zeros.
        var quote = ProviderQuotes.FromSnapshot("AAPL", Snapshot(new PolygonSnapshotBar(0, 0, 0, 0, 0, 0)));

        Assert.Equal(101.5m, quote.Price);
        Assert.Null(quote.Open);
        Assert.Null(quote.High);
        Assert.Null(quote.Low);
        Assert.Null(quote.Vwap);
        Assert.Equal(0, quote.Volume);
        Assert.Equal(100m, quote.PreviousClose);
        Assert.Equal(1.5m, quote.Change);
        Assert.Equal(QuoteSources.Snapshot, quote.Source);
    }

    [Fact]
    public void A_day_with_trades_is_carried_as_the_provider_has_it_and_a_zero_previous_close_is_unknown()
    {
        var quote = ProviderQuotes.FromSnapshot("AAPL", Snapshot(new PolygonSnapshotBar(100.2m, 102m, 99.8m, 101.4m, 1_200_000, 100.9m),
            prevDay: new PolygonSnapshotBar(0, 0, 0, 0, 0, 0)));

        Assert.Equal(100.2m, quote.Open);
        Assert.Equal(102m, quote.High);
        Assert.Equal(99.8m, quote.Low);
        Assert.Equal(100.9m, quote.Vwap);
        Assert.Equal(1_200_000, quote.Volume);
        Assert.Null(quote.PreviousClose);
        Assert.Equal(1.5m, quote.Change); // the provider's own change, without a previous close
        Assert.Equal(1_764_000_000_000, quote.Timestamp);
    }
}
