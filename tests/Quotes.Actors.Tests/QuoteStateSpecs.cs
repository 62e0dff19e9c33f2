using Quotes.Actors.Polygon;
using Quotes.Actors.Symbols;
using Xunit;

namespace Quotes.Actors.Tests;

public class QuoteStateSpecs
{
    internal static AggregateBar Bar(decimal close, long start, decimal high = 0, decimal low = 0, long accumulated = 0, decimal officialOpen = 0, decimal dayVwap = 0) => new()
    {
        Symbol = "AAPL", Open = close, Close = close, High = high == 0 ? close : high, Low = low == 0 ? close : low, Volume = 100,
        AccumulatedVolume = accumulated, OfficialOpen = officialOpen, DayVwap = dayVwap, Start = start, End = start + 1000,
    };

    [Fact]
    public void No_quote_before_the_first_price() => Assert.Null(new QuoteState("AAPL").ToQuote());

    [Fact]
    public void Change_and_percent_are_relative_to_the_previous_close()
    {
        var quote = new QuoteState("AAPL").WithPreviousClose(188.07m).Apply(Bar(189.32m, 1_000, officialOpen: 188.5m)).ToQuote()!;

        Assert.Equal(189.32m, quote.Price);
        Assert.Equal(1.25m, quote.Change);
        Assert.Equal(0.6646m, quote.ChangePercent);
        Assert.Equal(188.07m, quote.PreviousClose);
        Assert.Equal(188.5m, quote.Open);
    }

    [Fact]
    public void Without_a_previous_close_change_is_relative_to_the_days_open()
    {
        var quote = new QuoteState("AAPL").Apply(Bar(101m, 1_000, officialOpen: 100m)).ToQuote()!;

        Assert.Null(quote.PreviousClose);
        Assert.Equal(1m, quote.Change);
        Assert.Equal(1m, quote.ChangePercent);
    }

    [Fact]
    public void A_previous_close_that_arrives_late_fixes_later_quotes()
    {
        var state = new QuoteState("AAPL").Apply(Bar(101m, 1_000, officialOpen: 100m)).WithPreviousClose(50m);
        Assert.Equal(51m, state.ToQuote()!.Change);
        Assert.Equal(102m, state.ToQuote()!.ChangePercent);
    }

    [Fact]
    public void Previous_price_is_the_price_of_the_previous_update()
    {
        var state = new QuoteState("AAPL").Apply(Bar(10m, 1_000));
        Assert.Null(state.ToQuote()!.PreviousPrice);
        state = state.Apply(Bar(11m, 2_000));
        Assert.Equal(10m, state.ToQuote()!.PreviousPrice);
        Assert.Equal(11m, state.ToQuote()!.Price);
    }

    [Fact]
    public void Seq_increases_by_one_per_update()
    {
        var state = new QuoteState("AAPL").Apply(Bar(10m, 1_000)).Apply(Bar(11m, 2_000)).Apply(Bar(12m, 3_000));
        Assert.Equal(3, state.ToQuote()!.Seq);
    }

    [Fact]
    public void An_aggregate_for_an_older_window_is_ignored()
    {
        var state = new QuoteState("AAPL").Apply(Bar(10m, 5_000));
        var late = state.Apply(Bar(9m, 4_000));

        Assert.Same(state, late);
        Assert.Equal(10m, late.ToQuote()!.Price);
        Assert.Equal(1, late.ToQuote()!.Seq);
    }

    [Fact]
    public void A_resent_bar_for_the_newest_window_replaces_it()
    {
        var state = new QuoteState("AAPL").Apply(Bar(10m, 5_000)).Apply(Bar(10.5m, 5_000));
        Assert.Equal(10.5m, state.ToQuote()!.Price);
        Assert.Equal(2, state.ToQuote()!.Seq);
    }

    [Fact]
    public void Day_high_low_volume_and_vwap_accumulate()
    {
        var state = new QuoteState("AAPL")
            .Apply(Bar(10m, 1_000, high: 10.5m, low: 9.5m, accumulated: 1_000, dayVwap: 10.1m))
            .Apply(Bar(11m, 2_000, high: 11.2m, low: 10.8m, accumulated: 1_500, dayVwap: 10.4m));
        var quote = state.ToQuote()!;

        Assert.Equal(11.2m, quote.High);
        Assert.Equal(9.5m, quote.Low);
        Assert.Equal(1_500, quote.Volume);
        Assert.Equal(10.4m, quote.Vwap);
        Assert.Equal(3_000, quote.Timestamp);
    }

    [Fact]
    public void Snapshot_flag_is_set_only_when_asked()
    {
        var state = new QuoteState("AAPL").Apply(Bar(10m, 1_000));
        Assert.True(state.ToQuote(snapshot: true)!.Snapshot);
        Assert.Null(state.ToQuote()!.Snapshot);
    }
}
