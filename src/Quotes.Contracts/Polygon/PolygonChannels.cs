namespace Quotes.Contracts.Polygon;

/// <summary>
/// Parses a Polygon <c>subscribe</c>/<c>unsubscribe</c> <c>params</c> string: comma-separated,
/// whitespace-tolerant, <c>PREFIX.TICKER</c> split on the first dot (so <c>A.BRK.B</c> is ticker <c>BRK.B</c>).
/// Only per-second aggregates (<c>A</c>) of single, valid tickers are carried; wildcards and other channels are refused.
/// </summary>
public static class PolygonChannels
{
    /// <summary>
    /// One requested channel: its text, and the symbol when it can be carried (null when refused). <see cref="Malformed"/>
    /// when it is no channel at all: not an upper-case prefix, a dot, and a ticker by the symbol rules or <c>*</c>
    /// (<c>a.aapl</c>, <c>A.1BAD</c>, <c>AAPL</c>); a well-formed channel that is refused (<c>T.AAPL</c>, <c>A.*</c>) is not.
    /// </summary>
    public readonly record struct Channel(string Text, string? Symbol, bool Malformed = false);

    public static IReadOnlyList<Channel> Parse(string? parameters) =>
        (parameters ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(text =>
            {
                var dot = text.IndexOf('.');
                if (dot <= 0) return new Channel(text, null, Malformed: true);
                var prefix = text[..dot];
                var ticker = text[(dot + 1)..];
                if (!prefix.All(char.IsAsciiLetterUpper) || (ticker != "*" && !SymbolRules.IsValid(ticker))) return new Channel(text, null, Malformed: true);
                return new Channel(text, prefix == "A" && ticker != "*" ? ticker : null);
            })
            .ToList();
}
