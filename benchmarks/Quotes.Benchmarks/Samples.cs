using System.Text;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream.Provider;

namespace Quotes.Benchmarks;

/// <summary>Realistic inputs: Polygon per-second aggregates as the wire carries them, and a symbol state that has seen a few.</summary>
public static class Samples
{
    public static string AggregateJson(string symbol, int i, long end) =>
        $$"""{"ev":"A","sym":"{{symbol}}","v":{{100 + i}},"av":{{100000 + i * 10}},"op":189.5,"vw":190.1234,"o":190.12,"c":190.{{10 + i % 80}},"h":190.99,"l":189.88,"a":190.0321,"z":12,"s":{{end - 1000}},"e":{{end}}}""";

    /// <summary>One upstream frame of <paramref name="count"/> aggregates, as Polygon sends a busy second.</summary>
    public static byte[] Frame(int count) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, count).Select(i => AggregateJson($"S{i}", i, 1_764_000_000_000 + i))) + "]");

    public static AggregateBar Bar(long end, decimal close) => new()
    {
        Symbol = "AAPL", Open = 190.12m, High = 190.99m, Low = 189.88m, Close = close, Volume = 1200, AccumulatedVolume = 1_000_000,
        OfficialOpen = 189.5m, WindowVwap = 190.0321m, DayVwap = 190.1234m, Start = end - 1000, End = end,
    };

    public static QuoteState State()
    {
        var state = new QuoteState("AAPL").WithPreviousClose(188.01m);
        for (var i = 0; i < 5; i++) state = state.Apply(Bar(1_764_000_000_000 + i * 1000, 190m + i / 100m));
        return state;
    }
}
