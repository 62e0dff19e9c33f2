using System.Runtime.CompilerServices;

namespace Quotes.Simulator.Rest;

/// <summary>
/// Every reference underlying's listed contracts (some 126,000), built once per simulator and set of live expiries (a
/// New York day, until its expiry's close) instead of on every page of the contract list without an underlying.
/// </summary>
internal static class AllContracts
{
    private sealed class Built
    {
        public string Key = "";
        public IReadOnlyList<OptionChain.Contract> Contracts = [];
    }

    private static readonly ConditionalWeakTable<MarketSimulator, Built> BySimulator = new();

    /// <summary>The contracts listed at <paramref name="now"/>, in ticker order.</summary>
    public static IReadOnlyList<OptionChain.Contract> At(MarketSimulator market, DateTimeOffset now)
    {
        // Strikes sit around each walk's previous close, fixed for the New York day; expiries change at a close.
        var key = $"{DateOnly.FromDateTime(MarketCalendar.ToNewYork(now)):O} {string.Join(',', OptionChain.Expiries(now))}";
        var built = BySimulator.GetValue(market, _ => new Built());
        lock (built)
        {
            if (built.Key != key)
            {
                built.Contracts = [.. ReferenceTickers.All
                    .SelectMany(t => OptionChain.For(t.Symbol, PolygonRest.TodaysWalk(market, t.Symbol).PreviousClose, now))
                    .OrderBy(c => c.Ticker, StringComparer.Ordinal)];
                built.Key = key;
            }
            return built.Contracts;
        }
    }
}
