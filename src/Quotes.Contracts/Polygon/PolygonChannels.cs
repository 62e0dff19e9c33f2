namespace Quotes.Contracts.Polygon;

/// <summary>
/// Parses a Polygon <c>subscribe</c>/<c>unsubscribe</c> <c>params</c> string: comma-separated,
/// whitespace-tolerant, <c>PREFIX.TICKER</c> split on the first dot (so <c>A.BRK.B</c> is ticker <c>BRK.B</c>).
/// Only per-second aggregates (<c>A</c>) of single, valid tickers are carried; wildcards and other channels are refused.
/// </summary>
public static class PolygonChannels
{
    /// <summary>One requested channel: its text, and the symbol when it can be carried (null when refused).</summary>
    public readonly record struct Channel(string Text, string? Symbol);

    public static IReadOnlyList<Channel> Parse(string? parameters) =>
        (parameters ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(text =>
            {
                var dot = text.IndexOf('.');
                if (dot <= 0) return new Channel(text, null);
                var prefix = text[..dot];
                var ticker = text[(dot + 1)..];
                return new Channel(text, prefix == "A" && ticker != "*" && SymbolRules.IsValid(ticker) ? ticker : null);
            })
            .ToList();
}
