using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

public class PriceWalkSpecs
{
    private static List<decimal> Path(string symbol, int seed) =>
        Enumerable.Range(1, 50).Select(i => new { i }).Aggregate((Walk: new PriceWalk(symbol, seed), Closes: new List<decimal>()), (acc, x) =>
        {
            acc.Closes.Add(acc.Walk.Next(x.i * 1000L).Close);
            return acc;
        }).Closes;

    [Fact]
    public void The_same_symbol_and_seed_walk_the_same_path() => Assert.Equal(Path("AAPL", 7), Path("AAPL", 7));

    [Fact]
    public void Another_seed_or_symbol_walks_another_path()
    {
        Assert.NotEqual(Path("AAPL", 7), Path("AAPL", 8));
        Assert.NotEqual(Path("AAPL", 7), Path("TSLA", 7));
    }

    [Fact]
    public void Prices_stay_realistic_near_the_previous_close()
    {
        var walk = new PriceWalk("NVDA", 42);
        Assert.InRange(walk.PreviousClose, 10m, 500m);
        Assert.InRange(walk.Open, walk.PreviousClose * 0.98m, walk.PreviousClose * 1.02m);

        for (var i = 1; i <= 1000; i++)
        {
            var bar = walk.Next(i * 1000L);
            Assert.True(bar.Low <= Math.Min(bar.Open, bar.Close) && bar.High >= Math.Max(bar.Open, bar.Close));
            Assert.Equal(walk.Open, bar.OfficialOpen);
        }
        Assert.InRange(walk.Price, walk.PreviousClose * 0.5m, walk.PreviousClose * 1.5m);
    }

    [Theory]
    [InlineData("AAPL", 278)]
    [InlineData("MSFT", 485)]
    [InlineData("NVDA", 182)]
    [InlineData("TSLA", 425)]
    [InlineData("AMZN", 228)]
    [InlineData("META", 640)]
    [InlineData("SPY", 670)]
    public void Well_known_tickers_start_near_their_real_level_whatever_the_seed(string symbol, double level)
    {
        foreach (var seed in new[] { 1, 42, 7_777 })
        {
            var walk = new PriceWalk(symbol, seed);
            Assert.InRange(walk.PreviousClose, (decimal)level * 0.95m, (decimal)level * 1.05m);
            Assert.True(ReferenceTickers.TryGetLevel(symbol, out var known));
            Assert.Equal(known.DailyVolatility, walk.DailyVolatility);
        }
    }

    [Fact]
    public void Other_tickers_keep_a_price_from_their_name()
    {
        var walk = new PriceWalk("ZZQX", 42);

        Assert.False(ReferenceTickers.TryGetLevel("ZZQX", out _));
        Assert.Equal(walk.PreviousClose, new PriceWalk("ZZQX", 42).PreviousClose);
        Assert.InRange(walk.PreviousClose, 10m, 500m);
    }

    [Theory]
    [InlineData("KO")]
    [InlineData("AAPL")]
    [InlineData("TSLA")]
    public void A_session_of_one_second_windows_moves_with_the_tickers_daily_volatility(string symbol)
    {
        var walk = new PriceWalk(symbol, 42);
        var open = SessionOpenMs(new DateOnly(2026, 12, 1));
        // Sampled every five minutes, as realized volatility is, past the noise of cents.
        var returns = new List<double>();
        var last = walk.Price;
        for (var i = 1; i <= 23_400; i++)
        {
            var close = walk.Next(open + i * 1000L).Close;
            if (i % 300 != 0) continue;
            returns.Add(Math.Log((double)close / (double)last));
            last = close;
        }
        var mean = returns.Average();
        var daily = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1) * returns.Count);

        Assert.InRange(daily, walk.DailyVolatility * 0.7, walk.DailyVolatility * 1.3);
    }

    [Fact]
    public void Minutes_after_the_open_trade_more_than_minutes_at_midday()
    {
        var day = new DateOnly(2026, 12, 1);
        long VolumeOfTenMinutesFrom(TimeSpan start)
        {
            var walk = new PriceWalk("AAPL", 42);
            var from = SessionOpenMs(day) + (long)(start - IntradayVolume.SessionOpen).TotalMilliseconds;
            return Enumerable.Range(1, 600).Sum(i => walk.Next(from + i * 1000L).Volume);
        }

        var open = VolumeOfTenMinutesFrom(new TimeSpan(9, 30, 0));
        var midday = VolumeOfTenMinutesFrom(new TimeSpan(12, 30, 0));
        var close = VolumeOfTenMinutesFrom(new TimeSpan(15, 50, 0));

        Assert.True(open > 2 * midday, $"open {open} vs midday {midday}");
        Assert.True(close > 2 * midday, $"close {close} vs midday {midday}");
    }

    private static long SessionOpenMs(DateOnly day) =>
        Quotes.Contracts.MarketCalendar.FromNewYork(day.ToDateTime(new TimeOnly(9, 30))).ToUnixTimeMilliseconds();
}
