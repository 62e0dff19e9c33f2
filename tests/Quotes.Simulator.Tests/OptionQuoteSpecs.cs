using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The simulator's option chain is coherent: a smile, parity within the spread, deltas in range, open interest near the money.</summary>
public sealed class OptionQuoteSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 15, 0, 0, TimeSpan.Zero); // a Tuesday, 10:00 in New York
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly OptionQuote.Underlying Stock = new(Price: 281.37m, Open: 279.90m, PreviousClose: 280.12m, DailyVolatility: 0.018);

    private static List<OptionQuote> Chain() =>
        OptionChain.For("AAPL", Stock.PreviousClose, Today).Select(c => OptionQuote.Of(c, Stock, Now)).ToList();

    [Fact]
    public void The_smile_is_lowest_at_the_money_and_rises_on_both_sides_more_steeply_below()
    {
        const double atm = 0.3;
        var strikes = Enumerable.Range(60, 81).Select(k => (double)k).ToList();
        var vols = strikes.Select(k => VolatilitySmile.At(atm, 100, k, 30 / 365.0)).ToList();

        Assert.Equal(atm, VolatilitySmile.At(atm, 100, 100, 30 / 365.0), 12);
        for (var i = 1; i < strikes.Count; i++)
            if (strikes[i] <= 100) Assert.True(vols[i] <= vols[i - 1], $"falling towards the money at {strikes[i]}");
            else Assert.True(vols[i] >= vols[i - 1], $"rising away from the money at {strikes[i]}");
        Assert.True(VolatilitySmile.At(atm, 100, 90, 30 / 365.0) > VolatilitySmile.At(atm, 100, 110, 30 / 365.0));
        Assert.Equal(0.02 * Math.Sqrt(252), VolatilitySmile.Annual(0.02), 12);
    }

    [Fact]
    public void The_chain_spans_months_of_expiries_with_strikes_around_the_money()
    {
        var expiries = OptionChain.Expiries(Today).ToList();
        var chain = OptionChain.For("AAPL", Stock.PreviousClose, Today).ToList();

        Assert.Equal(expiries.Order(), expiries);
        Assert.All(expiries, e => Assert.True(e.DayOfWeek == DayOfWeek.Friday || !MarketCalendar.IsTradingDay(e.AddDays(1)), $"{e}: a Friday, or the day before a holiday Friday"));
        Assert.True(expiries[^1].DayNumber - Today.DayNumber > 150, $"the last expiry {expiries[^1]} is months away");
        Assert.Equal(expiries.Count * 2 * (2 * OptionChain.StrikesEachSide + 1), chain.Count);
        Assert.Contains(chain, c => c.Strike == 280m);
        Assert.Equal(chain.Select(c => c.Ticker).Order(StringComparer.Ordinal), chain.Select(c => c.Ticker));
        Assert.Equal("O:AAPL261204C00280000", chain.Single(c => c.Expiry == new DateOnly(2026, 12, 4) && c.Type == "call" && c.Strike == 280m).Ticker);
    }

    [Fact]
    public void An_expiry_on_a_market_holiday_is_the_trading_day_before()
    {
        // Found from outside: Christmas 2026 and Juneteenth 2027 (observed on Friday 18 June) were listed as expiries.
        var december = OptionChain.Expiries(Today).ToList();
        var june = OptionChain.Expiries(new DateOnly(2027, 5, 20)).ToList();

        Assert.Contains(new DateOnly(2026, 12, 24), december);
        Assert.DoesNotContain(new DateOnly(2026, 12, 25), december);
        Assert.Contains(new DateOnly(2027, 6, 17), june); // the third Friday of June 2027 is the observed holiday
        Assert.DoesNotContain(new DateOnly(2027, 6, 18), june);
        Assert.All(december.Concat(june), e => Assert.True(MarketCalendar.IsTradingDay(e), $"{e} is a trading day"));
    }

    [Fact]
    public void An_expiry_day_lists_its_own_expiry_all_day_and_the_day_after_does_not()
    {
        // Found in an audit: on a Friday the chain began with next week's expiry, so the day's 0DTE contracts (the most
        // traded on an expiry day) were missing. Thursday 24 December 2026 expires in place of Christmas.
        var friday = new DateOnly(2026, 12, 4);
        Assert.Equal(friday, OptionChain.Expiries(friday).First());
        Assert.Equal(new DateOnly(2026, 12, 11), OptionChain.Expiries(friday.AddDays(1)).First());
        Assert.Equal(new DateOnly(2026, 12, 24), OptionChain.Expiries(new DateOnly(2026, 12, 24)).First());
        Assert.Equal(4, OptionChain.Expiries(friday).Count(e => e < friday.AddDays(28)));

        // Priced to the close (at least an hour): finite Greeks, a call's delta within 0 and 1, even after 16:00.
        var lateFriday = new DateTimeOffset(2026, 12, 4, 21, 30, 0, TimeSpan.Zero); // 16:30 in New York
        var zeroDay = OptionChain.For("AAPL", Stock.PreviousClose, friday).Where(c => c.Expiry == friday).Select(c => OptionQuote.Of(c, Stock, lateFriday)).ToList();
        Assert.NotEmpty(zeroDay);
        Assert.All(zeroDay, o => Assert.True(double.IsFinite(o.Model.Delta) && double.IsFinite(o.Model.Gamma) && o.Ask >= o.Bid, $"{o.Contract.Ticker}"));
        Assert.All(zeroDay.Where(o => o.Contract.Type == "call"), o => Assert.InRange(o.Model.Delta, 0, 1));
    }

    [Fact]
    public void An_underlying_priced_past_what_OCC_tickers_can_write_has_no_listed_contracts()
    {
        // Found from outside: BRK.A's contracts had nine-digit strike fields, which no OCC ticker has.
        Assert.Empty(OptionChain.For("BRK.A", 744_870m, Today));
        Assert.All(OptionChain.For("NVR", 7_250m, Today), c => Assert.Matches(@"^O:NVR\d{6}[CP]\d{8}$", c.Ticker));
    }

    [Fact]
    public void Calls_and_puts_of_each_strike_keep_put_call_parity_within_the_spread()
    {
        foreach (var pair in Chain().GroupBy(o => (o.Contract.Expiry, o.Contract.Strike)))
        {
            var call = pair.Single(o => o.Contract.Type == "call");
            var put = pair.Single(o => o.Contract.Type == "put");
            var years = OptionQuote.YearsTo(pair.Key.Expiry, Now);
            var forward = Stock.Price - pair.Key.Strike * (decimal)Math.Exp(-OptionQuote.RiskFreeRate * years);

            Assert.InRange(forward, call.Bid - put.Ask, call.Ask - put.Bid);
        }
    }

    [Fact]
    public void Quotes_are_coherent_contract_by_contract()
    {
        foreach (var o in Chain())
        {
            var what = o.Contract.Ticker;
            if (o.Contract.Type == "call") Assert.True(o.Model.Delta is > 0 and < 1, $"{what}: call delta {o.Model.Delta}");
            else Assert.True(o.Model.Delta is > -1 and < 0, $"{what}: put delta {o.Model.Delta}");
            Assert.True(o.Bid >= 0 && o.Bid < o.Ask, $"{what}: bid {o.Bid} ask {o.Ask}");
            Assert.InRange((decimal)o.Model.Price, o.Bid, o.Ask);
            Assert.InRange(o.Last, o.Bid, o.Ask);
            Assert.True(o.DayLow <= Math.Min(o.DayOpen, o.Last) && o.DayHigh >= Math.Max(o.DayOpen, o.Last), what);
            Assert.True(o.Model.Gamma > 0 && o.Model.Vega > 0, $"{what}: gamma {o.Model.Gamma} vega {o.Model.Vega}");
            if (o.Contract.Type == "call") Assert.True(o.Model.Theta < 0, $"{what}: a call loses value by the day, theta {o.Model.Theta}");
            Assert.True(o.OpenInterest > 0 && o.Volume >= 0, what);
            Assert.Equal(o.Contract.Type == "call" ? o.Contract.Strike + o.Midpoint : o.Contract.Strike - o.Midpoint, o.BreakEven);
        }
    }

    [Fact]
    public void Open_interest_is_highest_near_the_money()
    {
        foreach (var expiry in Chain().GroupBy(o => (o.Contract.Expiry, o.Contract.Type)))
        {
            var atTheMoney = expiry.MinBy(o => Math.Abs(o.Contract.Strike - Stock.PreviousClose))!;
            var step = OptionChain.StrikeStep(Stock.PreviousClose);
            var far = expiry.Where(o => Math.Abs(o.Contract.Strike - atTheMoney.Contract.Strike) >= 8 * step).ToList();

            Assert.NotEmpty(far);
            Assert.All(far, o => Assert.True(o.OpenInterest < atTheMoney.OpenInterest, $"{o.Contract.Ticker}: {o.OpenInterest} vs {atTheMoney.OpenInterest} at the money"));
        }
    }

    [Fact]
    public void The_same_inputs_give_the_same_quote() =>
        Assert.Equal(Chain(), Chain());
}
