using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The simulator's option chain is coherent: free of static arbitrage across strikes and expiries, parity's bounds within
/// the spread, deltas in range, priced to each expiry's close and gone after it, open interest near the money.
/// </summary>
public sealed class OptionQuoteSpecs
{
    private static readonly DateTimeOffset Now = NewYork(2026, 12, 1, 10, 0); // a Tuesday morning
    private static readonly OptionQuote.Underlying Stock = new(Price: 281.37m, Open: 279.90m, PreviousClose: 280.12m, DailyVolatility: 0.018);

    private static DateTimeOffset NewYork(int year, int month, int day, int hour, int minute) =>
        MarketCalendar.FromNewYork(new DateTime(year, month, day, hour, minute, 0));

    private static List<OptionQuote> Chain() => ChainOf("AAPL", Stock, Now);

    private static List<OptionQuote> ChainOf(string symbol, OptionQuote.Underlying stock, DateTimeOffset now) =>
        OptionChain.For(symbol, stock.PreviousClose, now).Select(c => OptionQuote.Of(c, stock, now)).ToList();

    public static TheoryData<string, decimal, double> Underlyings => new()
    {
        { "COIN", 271.91m, 0.045 }, // the audit's: 2-day 220P bid 1.11 above the 225P ask 0.93
        { "SMCI", 35.48m, 0.05 },   // 43C ask 0.11 below the 44C bid 0.12; the Dec 11 25C bid above the Dec 18 ask
        { "F", 13.29m, 0.018 },     // the Dec 18 9C worth more than the Dec 24 one
        { "AAPL", 278.12m, 0.016 },
        { "KO", 70.05m, 0.01 },
    };

    /// <summary>Weekday mornings and an afternoon: two days to Friday's expiry, Friday's 0DTE in the morning and ten minutes before the close, Christmas Eve's early-close 0DTE.</summary>
    private static readonly DateTimeOffset[] Times =
        [NewYork(2026, 12, 9, 9, 45), NewYork(2026, 12, 11, 10, 0), NewYork(2026, 12, 11, 15, 50), NewYork(2026, 12, 24, 11, 0)];

    [Theory]
    [MemberData(nameof(Underlyings))]
    public void The_chain_is_free_of_static_arbitrage_across_strikes_and_expiries(string symbol, decimal previousClose, double dailyVolatility)
    {
        foreach (var now in Times)
            foreach (var move in new[] { 0.93m, 1m, 1.06m })
            {
                var spot = Math.Round(previousClose * move, 2);
                var chain = ChainOf(symbol, new OptionQuote.Underlying(spot, previousClose, previousClose, dailyVolatility), now);
                var at = $"{symbol} at {spot} on {MarketCalendar.ToNewYork(now):yyyy-MM-dd HH:mm}";

                foreach (var o in chain)
                {
                    var intrinsic = Math.Max(0, o.Contract.Type == "call" ? spot - o.Contract.Strike : o.Contract.Strike - spot);
                    Assert.True(o.Ask >= intrinsic, $"{at}: {o.Contract.Ticker} ask {o.Ask} below intrinsic {intrinsic}");
                    Assert.True((decimal)o.Model.Price >= intrinsic - 1e-9m, $"{at}: {o.Contract.Ticker} worth {o.Model.Price} below intrinsic {intrinsic}");
                    if (o.Contract.Type == "call") Assert.InRange(o.Model.Delta, 0, 1);
                    else Assert.InRange(o.Model.Delta, -1, 0);
                }

                // Across strikes: calls cheaper, puts dearer as the strike rises, both convex; the cheaper one's bid at most the dearer one's ask.
                foreach (var slice in chain.GroupBy(o => (o.Contract.Expiry, o.Contract.Type)))
                {
                    var byStrike = slice.OrderBy(o => o.Contract.Strike).ToList();
                    for (var i = 1; i < byStrike.Count; i++)
                    {
                        var (low, high) = (byStrike[i - 1], byStrike[i]);
                        var (cheap, dear) = slice.Key.Type == "call" ? (high, low) : (low, high);
                        var what = $"{at}: {low.Contract.Ticker} {low.Model.Price} ({low.Bid}/{low.Ask}) vs {high.Contract.Ticker} {high.Model.Price} ({high.Bid}/{high.Ask})";
                        Assert.True(cheap.Model.Price <= dear.Model.Price + 1e-9, what);
                        Assert.True(cheap.Bid <= dear.Ask, what);
                        if (i < 2) continue;
                        var before = byStrike[i - 2];
                        var left = (double)(low.Contract.Strike - before.Contract.Strike);
                        var right = (double)(high.Contract.Strike - low.Contract.Strike);
                        var butterfly = (before.Model.Price * right + high.Model.Price * left) / (left + right) - low.Model.Price;
                        Assert.True(butterfly >= -1e-9, $"{at}: butterfly around {low.Contract.Ticker} is {butterfly}");
                    }
                }

                // Across expiries: the same strike is worth at least as much later, calls and (American) puts alike.
                foreach (var strike in chain.GroupBy(o => (o.Contract.Strike, o.Contract.Type)))
                {
                    var byExpiry = strike.OrderBy(o => o.Contract.Expiry).ToList();
                    for (var i = 1; i < byExpiry.Count; i++)
                    {
                        var (early, late) = (byExpiry[i - 1], byExpiry[i]);
                        var what = $"{at}: {early.Contract.Ticker} {early.Model.Price} ({early.Bid}/{early.Ask}) vs {late.Contract.Ticker} {late.Model.Price} ({late.Bid}/{late.Ask})";
                        Assert.True(late.Model.Price >= early.Model.Price - 1e-9, what);
                        Assert.True(early.Bid <= late.Ask, what);
                    }
                }
            }
    }

    [Fact]
    public void The_smile_has_the_forwards_volatility_at_the_money_an_equity_skew_and_more_total_variance_later()
    {
        const double atm = 0.3;
        Assert.Equal(atm, VolatilitySmile.At(atm, 100, 100, 30 / 365.0), 12);
        Assert.True(VolatilitySmile.At(atm, 100, 90, 30 / 365.0) > VolatilitySmile.At(atm, 100, 110, 30 / 365.0), "puts below the money carry the higher volatility");
        Assert.True(VolatilitySmile.At(atm, 100, 70, 30 / 365.0) > atm && VolatilitySmile.At(atm, 100, 140, 30 / 365.0) > atm, "both wings above the money's");
        Assert.True(VolatilitySmile.Eta * (1 + Math.Abs(VolatilitySmile.Rho)) <= 2, "Gatheral–Jacquier's bound");
        for (var k = -1.0; k <= 1; k += 0.05)
            Assert.True(VolatilitySmile.TotalVariance(k, 0.02) >= VolatilitySmile.TotalVariance(k, 0.01), $"calendar at k {k}");
        Assert.Equal(0.02 * Math.Sqrt(252), VolatilitySmile.Annual(0.02), 12);
    }

    [Fact]
    public void The_chain_spans_months_of_expiries_with_strikes_around_the_money()
    {
        var expiries = OptionChain.Expiries(Now).ToList();
        var chain = OptionChain.For("AAPL", Stock.PreviousClose, Now).ToList();

        Assert.Equal(expiries.Order(), expiries);
        Assert.All(expiries, e => Assert.True(e.DayOfWeek == DayOfWeek.Friday || !MarketCalendar.IsTradingDay(e.AddDays(1)), $"{e}: a Friday, or the day before a holiday Friday"));
        Assert.True(expiries[^1].DayNumber - new DateOnly(2026, 12, 1).DayNumber > 150, $"the last expiry {expiries[^1]} is months away");
        Assert.Equal(expiries.Count * 2 * (2 * OptionChain.StrikesEachSide + 1), chain.Count);
        Assert.Contains(chain, c => c.Strike == 280m);
        Assert.Equal(chain.Select(c => c.Ticker).Order(StringComparer.Ordinal), chain.Select(c => c.Ticker));
        Assert.Equal("O:AAPL261204C00280000", chain.Single(c => c.Expiry == new DateOnly(2026, 12, 4) && c.Type == "call" && c.Strike == 280m).Ticker);
    }

    [Fact]
    public void An_expiry_on_a_market_holiday_is_the_trading_day_before()
    {
        // Found from outside: Christmas 2026 and Juneteenth 2027 (observed on Friday 18 June) were listed as expiries.
        var december = OptionChain.Expiries(Now).ToList();
        var june = OptionChain.Expiries(NewYork(2027, 5, 20, 10, 0)).ToList();

        Assert.Contains(new DateOnly(2026, 12, 24), december);
        Assert.DoesNotContain(new DateOnly(2026, 12, 25), december);
        Assert.Contains(new DateOnly(2027, 6, 17), june); // the third Friday of June 2027 is the observed holiday
        Assert.DoesNotContain(new DateOnly(2027, 6, 18), june);
        Assert.All(december.Concat(june), e => Assert.True(MarketCalendar.IsTradingDay(e), $"{e} is a trading day"));
    }

    [Fact]
    public void An_expiry_day_lists_its_own_expiry_until_its_close_and_not_after()
    {
        // Found in an audit: on a Friday the chain began with next week's expiry, so the day's 0DTE contracts (the most
        // traded on an expiry day) were missing; and then it listed them after their close too. Thursday 24 December 2026
        // expires in place of Christmas and closes at 13:00.
        var friday = new DateOnly(2026, 12, 4);
        var christmasEve = new DateOnly(2026, 12, 24);
        Assert.Equal(friday, OptionChain.Expiries(NewYork(2026, 12, 4, 9, 0)).First());
        Assert.Equal(friday, OptionChain.Expiries(NewYork(2026, 12, 4, 15, 59)).First());
        Assert.Equal(new DateOnly(2026, 12, 11), OptionChain.Expiries(NewYork(2026, 12, 4, 16, 0)).First());
        Assert.Equal(new DateOnly(2026, 12, 11), OptionChain.Expiries(NewYork(2026, 12, 5, 10, 0)).First());
        Assert.Equal(christmasEve, OptionChain.Expiries(NewYork(2026, 12, 24, 12, 59)).First());
        Assert.Equal(new DateOnly(2026, 12, 31), OptionChain.Expiries(NewYork(2026, 12, 24, 13, 0)).First());
        Assert.Equal(4, OptionChain.Expiries(NewYork(2026, 12, 4, 9, 0)).Count(e => e < friday.AddDays(28)));

        Assert.DoesNotContain(ChainOf("AAPL", Stock, NewYork(2026, 12, 4, 16, 30)), o => o.Contract.Expiry == friday);
        Assert.DoesNotContain(ChainOf("AAPL", Stock, NewYork(2026, 12, 24, 13, 30)), o => o.Contract.Expiry == christmasEve);

        // Priced to the close, at least a minute: finite Greeks, deltas in range, in the last minute too.
        var lastMinute = NewYork(2026, 12, 4, 15, 59).AddSeconds(30);
        var zeroDay = ChainOf("AAPL", Stock, lastMinute).Where(o => o.Contract.Expiry == friday).ToList();
        Assert.NotEmpty(zeroDay);
        Assert.All(zeroDay, o => Assert.True(double.IsFinite(o.Model.Delta) && double.IsFinite(o.Model.Gamma) && double.IsFinite(o.Model.Theta) && o.Ask >= o.Bid, $"{o.Contract.Ticker}"));
        Assert.All(zeroDay, o => Assert.InRange(o.Model.Delta, o.Contract.Type == "call" ? 0 : -1, o.Contract.Type == "call" ? 1 : 0));
    }

    [Fact]
    public void Time_to_expiry_runs_to_the_expiry_days_own_close_so_the_Greeks_move_until_then()
    {
        // Found in an audit: time was floored at an hour, so every Greek froze from 15:00 on expiry day, and it always
        // counted to 16:00, three hours past an early close.
        var friday = new DateOnly(2026, 12, 4);
        const double Year = 365 * 24 * 60;
        Assert.Equal(30 / Year, OptionQuote.YearsTo(friday, NewYork(2026, 12, 4, 15, 30)), 15);
        Assert.Equal(1 / Year, OptionQuote.YearsTo(friday, NewYork(2026, 12, 4, 15, 59).AddSeconds(30)), 15);
        Assert.Equal(3 * 60 / Year, OptionQuote.YearsTo(new DateOnly(2026, 12, 24), NewYork(2026, 12, 24, 10, 0)), 15);

        OptionQuote At(int hour, int minute, string type) =>
            ChainOf("AAPL", Stock, NewYork(2026, 12, 4, hour, minute)).Single(o => o.Contract.Expiry == friday && o.Contract.Type == type && o.Contract.Strike == 280m);
        foreach (var type in new[] { "call", "put" })
        {
            var (three, halfPast) = (At(15, 0, type), At(15, 30, type));
            Assert.NotEqual(three.Model.Delta, halfPast.Model.Delta);
            Assert.NotEqual(three.Model.Gamma, halfPast.Model.Gamma);
            Assert.NotEqual(three.Model.Theta, halfPast.Model.Theta);
            Assert.True(halfPast.Model.Price < three.Model.Price, $"{type}: time value falls towards the close");
        }
    }

    [Fact]
    public void An_underlying_priced_past_what_OCC_tickers_can_write_has_no_listed_contracts()
    {
        // Found from outside: BRK.A's contracts had nine-digit strike fields, which no OCC ticker has.
        Assert.Empty(OptionChain.For("BRK.A", 744_870m, Now));
        Assert.All(OptionChain.For("NVR", 7_250m, Now), c => Assert.Matches(@"^O:NVR\d{6}[CP]\d{8}$", c.Ticker));
    }

    [Fact]
    public void Calls_and_puts_of_each_strike_keep_the_american_put_call_parity_bounds_within_the_spread()
    {
        // With no dividend, S − K ≤ C − P ≤ S − K·e^{−rT} for the American put (the European one is the upper bound).
        foreach (var pair in Chain().GroupBy(o => (o.Contract.Expiry, o.Contract.Strike)))
        {
            var call = pair.Single(o => o.Contract.Type == "call");
            var put = pair.Single(o => o.Contract.Type == "put");
            var years = OptionQuote.YearsTo(pair.Key.Expiry, Now);
            var european = Stock.Price - pair.Key.Strike * (decimal)Math.Exp(-OptionQuote.RiskFreeRate * years);

            Assert.True(call.Ask - put.Bid >= Stock.Price - pair.Key.Strike, $"{call.Contract.Ticker}: lower bound");
            Assert.True(call.Bid - put.Ask <= european, $"{call.Contract.Ticker}: upper bound");
            Assert.InRange(call.Model.Price - put.Model.Price, (double)(Stock.Price - pair.Key.Strike) - 1e-9, (double)european + 1e-9);
        }
    }

    [Fact]
    public void Quotes_are_coherent_contract_by_contract()
    {
        foreach (var o in Chain())
        {
            var what = o.Contract.Ticker;
            if (o.Contract.Type == "call") Assert.True(o.Model.Delta is > 0 and < 1, $"{what}: call delta {o.Model.Delta}");
            else Assert.True(o.Model.Delta is >= -1 and < 0, $"{what}: put delta {o.Model.Delta}");
            Assert.True(o.Bid >= 0 && o.Bid < o.Ask, $"{what}: bid {o.Bid} ask {o.Ask}");
            Assert.InRange((decimal)o.Model.Price, o.Bid, o.Ask);
            Assert.InRange(o.Last, o.Bid, o.Ask);
            Assert.True(o.DayLow <= Math.Min(o.DayOpen, o.Last) && o.DayHigh >= Math.Max(o.DayOpen, o.Last), what);
            // An American put deep enough in the money is exercised: worth K − S, no gamma, vega or theta.
            var exercised = o.Contract.Type == "put" && o.Model.Delta == -1;
            Assert.True(exercised ? o.Model.Gamma == 0 && o.Model.Vega == 0 : o.Model.Gamma > 0 && o.Model.Vega > 0, $"{what}: gamma {o.Model.Gamma} vega {o.Model.Vega}");
            Assert.True(exercised ? o.Model.Theta == 0 : o.Model.Theta < 0, $"{what}: loses value by the day, theta {o.Model.Theta}");
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
