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
}
