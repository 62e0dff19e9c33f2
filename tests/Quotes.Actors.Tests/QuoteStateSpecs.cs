using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
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
    public void An_update_the_providers_day_makes_has_the_update_before_it_as_previous_price()
    {
        // Found from outside: the first quote of a symbol (no previous close yet), then the provider's day filling it in as
        // seq 2 at the same price: previousPrice stayed null, which the protocol gives the first update only.
        var first = new QuoteState("AAPL").Apply(Bar(10m, 1_000));
        var next = first.WithPreviousClose(9.5m).AsUpdate();

        Assert.Equal((2L, 10m, (decimal?)10m, (decimal?)9.5m), (next.Seq, next.ToQuote()!.Price, next.ToQuote()!.PreviousPrice, next.ToQuote()!.PreviousClose));
        Assert.Equal(10m, next.Apply(Bar(11m, 2_000)).ToQuote()!.PreviousPrice);
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
    // A day of New York trading: 2026-11-30 (EST, UTC-5). 14:30 UTC is 09:30 in New York.
    private static readonly long MarketOpen = new DateTimeOffset(2026, 11, 30, 14, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long NextMorning = new DateTimeOffset(2026, 12, 1, 14, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>A symbol that streamed for an hour: seq 3600, a wide range, a big volume.</summary>
    private static Quote HourOld(long timestamp) => new()
    {
        Symbol = "AAPL", Price = 100m, PreviousPrice = 99.5m, PreviousClose = 98m, Open = 97m, High = 120m, Low = 90m, Volume = 5_000_000,
        Vwap = 101m, Timestamp = timestamp, Seq = 3_600,
    };

    [Fact]
    public void A_bar_from_the_next_trading_day_starts_the_days_values_afresh()
    {
        var state = new QuoteState("AAPL").WithPreviousClose(95m)
            .Apply(Bar(100m, MarketOpen, high: 110m, low: 90m, accumulated: 1_000_000, officialOpen: 99m, dayVwap: 100.5m));
        var next = state.Apply(Bar(104m, NextMorning, high: 104.5m, low: 103.5m, accumulated: 700, officialOpen: 103m, dayVwap: 104m));
        var quote = next.ToQuote()!;

        Assert.Equal(104.5m, quote.High);
        Assert.Equal(103.5m, quote.Low);
        Assert.Equal(700, quote.Volume);
        Assert.Equal(103m, quote.Open);
        Assert.Equal(104m, quote.Vwap);
        Assert.Null(quote.PreviousClose); // yesterday's previous close no longer applies; the entity loads the new one
        Assert.Equal(100m, quote.PreviousPrice);
        Assert.Equal(2, quote.Seq);
    }

    [Fact]
    public void Within_a_day_volume_never_goes_back_even_if_a_bar_says_less()
    {
        var state = new QuoteState("AAPL").Apply(Bar(10m, MarketOpen, accumulated: 5_000)).Apply(Bar(10m, MarketOpen + 1_000, accumulated: 4_000));
        Assert.Equal(5_000, state.ToQuote()!.Volume);
    }

    [Fact]
    public void An_empty_incarnation_adopts_a_seed_whole_and_the_next_bar_continues_its_seq_and_day()
    {
        var seed = HourOld(MarketOpen + 3_600_000);
        var adopted = new QuoteState("AAPL").Adopt(seed);

        Assert.Equal(seed with { Change = 2m, ChangePercent = 2.0408m }, adopted.ToQuote());

        var next = adopted.Apply(Bar(100.25m, MarketOpen + 3_601_000, high: 100.3m, low: 100.2m, accumulated: 5_000_100)).ToQuote()!;
        Assert.Equal(3_601, next.Seq);
        Assert.Equal(120m, next.High);
        Assert.Equal(90m, next.Low);
        Assert.Equal(5_000_100, next.Volume);
        Assert.Equal(100m, next.PreviousPrice);
        Assert.Equal(98m, next.PreviousClose);
    }

    [Fact]
    public void A_seed_older_than_the_own_updates_widens_the_day_and_lifts_seq_above_both()
    {
        // The new incarnation applied two bars before the hub's seed arrived: seq 2, a narrow range, a small volume.
        var own = new QuoteState("AAPL")
            .Apply(Bar(100.5m, MarketOpen + 3_601_000, high: 100.6m, low: 100.4m, accumulated: 5_000_200))
            .Apply(Bar(100.7m, MarketOpen + 3_602_000, high: 100.8m, low: 100.6m, accumulated: 5_000_300));
        var merged = own.Adopt(HourOld(MarketOpen + 3_600_000)).ToQuote()!;

        Assert.Equal(3_601, merged.Seq);      // above the seed's 3600: hubs that hold the seed take it as new
        Assert.Equal(100.7m, merged.Price);  // the newer price wins
        Assert.Equal(100.5m, merged.PreviousPrice);
        Assert.Equal(120m, merged.High);
        Assert.Equal(90m, merged.Low);
        Assert.Equal(5_000_300, merged.Volume);
        Assert.Equal(98m, merged.PreviousClose);
        Assert.Equal(97m, merged.Open);
    }

    [Fact]
    public void A_seed_newer_than_the_own_update_supplies_the_price_and_previous_price()
    {
        var own = new QuoteState("AAPL").Apply(Bar(99m, MarketOpen + 1_000, accumulated: 10));
        var merged = own.Adopt(HourOld(MarketOpen + 3_600_000)).ToQuote()!;

        Assert.Equal(100m, merged.Price);
        Assert.Equal(99.5m, merged.PreviousPrice);
        // The merged quote says what the seed says (the own bar lay inside its range): the seed's seq, above the own one.
        Assert.Equal(3_600, merged.Seq);
        Assert.Equal(HourOld(MarketOpen + 3_600_000) with { Change = 2m, ChangePercent = 2.0408m }, merged);
    }

    [Fact]
    public void Adopting_the_same_quote_again_changes_nothing()
    {
        var seed = HourOld(MarketOpen + 3_600_000);
        var once = new QuoteState("AAPL").Adopt(seed);
        var twice = once.Adopt(seed);

        Assert.Equal(once.ToQuote(), twice.ToQuote());
        Assert.Equal(3_600, twice.Seq);
    }

    [Fact]
    public void A_lower_seed_from_another_hub_never_lowers_seq_or_narrows_the_day()
    {
        var state = new QuoteState("AAPL").Adopt(HourOld(MarketOpen + 3_600_000));
        var behind = HourOld(MarketOpen + 3_590_000) with { Seq = 3_590, High = 119m, Low = 91m, Volume = 4_990_000 };
        var merged = state.Adopt(behind).ToQuote()!;

        Assert.Equal(3_600, merged.Seq);
        Assert.Equal(120m, merged.High);
        Assert.Equal(90m, merged.Low);
        Assert.Equal(5_000_000, merged.Volume);
        Assert.Equal(100m, merged.Price);
    }

    [Fact]
    public void A_seed_from_the_previous_trading_day_only_lifts_seq()
    {
        var today = new QuoteState("AAPL").Apply(Bar(104m, NextMorning, high: 104.5m, low: 103.5m, accumulated: 700, officialOpen: 103m));
        var merged = today.Adopt(HourOld(MarketOpen + 3_600_000)).ToQuote()!;

        Assert.Equal(3_601, merged.Seq);
        Assert.Equal(104.5m, merged.High);
        Assert.Equal(103.5m, merged.Low);
        Assert.Equal(700, merged.Volume);
        Assert.Equal(100m, merged.PreviousPrice);
    }

    [Fact]
    public void A_quote_made_from_an_aggregate_carries_its_windows_own_bar_and_the_next_one_replaces_it()
    {
        var first = new QuoteState("AAPL").Apply(Bar(10m, 1_000, high: 12m, low: 9m) with { Open = 9.5m, Volume = 300 });
        var second = first.Apply(Bar(10.5m, 2_000, high: 10.6m, low: 10.2m) with { Open = 10.3m, Volume = 200 });

        var a = first.ToQuote()!;
        var b = second.ToQuote()!;
        Assert.Equal((9.5m, 12m, 9m, 300L), (a.BarOpen, a.BarHigh, a.BarLow, a.BarVolume));
        // The bar is the window's own; the day's range and volume are what accumulate.
        Assert.Equal((10.3m, 10.6m, 10.2m, 200L), (b.BarOpen, b.BarHigh, b.BarLow, b.BarVolume));
        Assert.Equal((12m, 9m, 500L), (b.High, b.Low, b.Volume));
    }

    [Fact]
    public void The_providers_day_carries_no_bar_and_widening_the_day_keeps_the_bar_of_the_price()
    {
        var day = Bar(50m, 1_000, high: 55m, low: 45m, accumulated: 90_000);
        var fromSnapshot = new QuoteState("AAPL").ApplyDay(day).ToQuote()!;
        var live = new QuoteState("AAPL").Apply(Bar(50m, 5_000, high: 50.2m, low: 49.9m)).WidenDay(day).ToQuote()!;

        Assert.Equal(50m, fromSnapshot.Price);
        Assert.Equal(55m, fromSnapshot.High);
        Assert.Equal((null, null, null, null), (fromSnapshot.BarOpen, fromSnapshot.BarHigh, fromSnapshot.BarLow, fromSnapshot.BarVolume));
        Assert.Equal((50m, 50.2m, 49.9m, 100L), (live.BarOpen, live.BarHigh, live.BarLow, live.BarVolume));
        Assert.Equal(55m, live.High);
    }

    [Fact]
    public void An_adopted_seed_brings_its_bar_only_with_its_price()
    {
        var own = new QuoteState("AAPL").Apply(Bar(10m, 5_000, high: 10.4m, low: 9.8m)); // ends at 6,000
        var older = own.ToQuote()! with { Price = 9m, Timestamp = 4_000, BarOpen = 1m, BarHigh = 1m, BarLow = 1m, BarVolume = 1 };
        var newer = own.ToQuote()! with { Price = 11m, Timestamp = 7_000, BarOpen = 10.9m, BarHigh = 11.2m, BarLow = 10.8m, BarVolume = 700 };

        var keptOwn = own.Adopt(older).ToQuote()!;
        var tookSeed = own.Adopt(newer).ToQuote()!;
        var fresh = new QuoteState("AAPL").Adopt(newer).ToQuote()!;

        Assert.Equal((10m, 10.4m, 9.8m, 100L), (keptOwn.BarOpen, keptOwn.BarHigh, keptOwn.BarLow, keptOwn.BarVolume));
        Assert.Equal((11m, 10.9m, 11.2m, 10.8m, 700L), (tookSeed.Price, tookSeed.BarOpen, tookSeed.BarHigh, tookSeed.BarLow, tookSeed.BarVolume));
        Assert.Equal((10.9m, 700L), (fresh.BarOpen, fresh.BarVolume));
    }
}
