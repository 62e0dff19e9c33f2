using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The reference ticker table, an embedded data file read once: it loads whole, and the well-known tickers keep their levels.</summary>
public class ReferenceTickerSpecs
{
    [Fact]
    public void The_embedded_table_loads_with_names_and_levels()
    {
        Assert.True(ReferenceTickers.All.Count >= 300, $"only {ReferenceTickers.All.Count} tickers");
        Assert.True(ReferenceTickers.TryGet("AMZN", out var amazon));
        Assert.Equal(new ReferenceTickers.Ticker("AMZN", "Amazon.com, Inc.", "XNAS", "CS"), amazon); // a quoted name keeps its comma
        Assert.True(ReferenceTickers.TryGet("VXX", out var vxx));
        Assert.Equal("ETN", vxx.Type);
        Assert.False(ReferenceTickers.TryGetLevel("VXX", out _)); // listed for search, with no level of its own
    }

    [Fact]
    public void No_symbol_is_listed_twice()
    {
        var repeated = ReferenceTickers.All.GroupBy(t => t.Symbol, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(repeated);
    }

    [Fact]
    public void Every_ticker_has_a_name_an_exchange_and_a_type()
    {
        Assert.All(ReferenceTickers.All, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Name), t.Symbol);
            Assert.Matches("^[A-Z]{4}$", t.Exchange);
            Assert.Contains(t.Type, new[] { "CS", "ADRC", "ETF", "ETN" });
        });
    }

    [Theory]
    [InlineData("AAPL", 278, 0.016, 50_000_000)]
    [InlineData("MSFT", 485, 0.014, 20_000_000)]
    [InlineData("NVDA", 182, 0.028, 180_000_000)]
    [InlineData("TSLA", 425, 0.035, 90_000_000)]
    [InlineData("BRK.A", 752_000, 0.009, 300)]
    [InlineData("SPY", 670, 0.009, 75_000_000)]
    [InlineData("TQQQ", 105, 0.036, 60_000_000)]
    public void Well_known_tickers_keep_their_levels(string symbol, double price, double volatility, long volume)
    {
        Assert.True(ReferenceTickers.TryGetLevel(symbol, out var level));

        Assert.Equal(new ReferenceTickers.Level((decimal)price, volatility, volume), level);
    }

    [Fact]
    public void Every_level_belongs_to_a_listed_ticker_and_is_positive()
    {
        var levelled = ReferenceTickers.All.Where(t => ReferenceTickers.TryGetLevel(t.Symbol, out _)).ToList();

        Assert.True(levelled.Count >= 80, $"only {levelled.Count} tickers with a level");
        Assert.All(levelled, t =>
        {
            ReferenceTickers.TryGetLevel(t.Symbol, out var level);
            Assert.True(level.Price > 0 && level.DailyVolatility is > 0 and < 1 && level.DailyVolume > 0, t.Symbol);
        });
    }

    [Fact]
    public void A_table_that_lists_a_symbol_twice_is_refused_naming_the_line()
    {
        const string table = """
            symbol,name,exchange,type,price,daily_volatility,daily_volume_millions
            AAPL,Apple Inc.,XNAS,CS,278,0.016,50
            MSFT,Microsoft Corporation,XNAS,CS,,,
            AAPL,"Apple, again",XNAS,CS,,,
            """;

        var error = Assert.Throws<InvalidDataException>(() => ReferenceTickers.Parse(new StringReader(table)));

        Assert.Contains("Line 4", error.Message);
        Assert.Contains("AAPL", error.Message);
    }

    [Theory]
    [InlineData("AAPL,Apple Inc.,XNAS,CS,278,0.016")]            // a field short
    [InlineData("AAPL,Apple Inc.,XNAS,CS,278,,50")]               // half a level
    [InlineData("AAPL,\"Apple Inc.,XNAS,CS,,,")]                  // an unclosed quote
    public void A_malformed_line_is_refused(string line)
    {
        var table = "symbol,name,exchange,type,price,daily_volatility,daily_volume_millions\n" + line + "\n";

        var error = Assert.Throws<InvalidDataException>(() => ReferenceTickers.Parse(new StringReader(table)));

        Assert.Contains("Line 2", error.Message);
    }
}
