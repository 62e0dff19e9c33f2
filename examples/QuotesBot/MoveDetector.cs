using System.Globalization;
using Quotes.Contracts;

namespace QuotesBot;

/// <summary>A line the bot prints: a symbol's first quote, or a move from the last price printed for it.</summary>
internal readonly record struct Move(string Symbol, decimal Price, decimal? From, long Timestamp)
{
    public decimal Percent => From is { } from and not 0 ? (Price - from) / from * 100 : 0;

    public override string ToString()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(Timestamp).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var price = Price.ToString(CultureInfo.InvariantCulture);
        return From is { } from
            ? $"{time} {Symbol} {price} {Percent.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)}% since {from.ToString(CultureInfo.InvariantCulture)}"
            : $"{time} {Symbol} {price} first quote";
    }
}

/// <summary>
/// Decides what the bot prints: each symbol's first quote, then every quote whose price moved at least
/// <c>thresholdPercent</c> from the last price printed for that symbol (so slow drifts add up and are not missed).
/// </summary>
internal sealed class MoveDetector(decimal thresholdPercent)
{
    private readonly Dictionary<string, decimal> _printed = new(StringComparer.Ordinal);

    public Move? Observe(Quote quote)
    {
        if (!_printed.TryGetValue(quote.Symbol, out var from))
        {
            _printed[quote.Symbol] = quote.Price;
            return new Move(quote.Symbol, quote.Price, null, quote.Timestamp);
        }
        var move = new Move(quote.Symbol, quote.Price, from, quote.Timestamp);
        if (Math.Abs(move.Percent) < thresholdPercent) return null;
        _printed[quote.Symbol] = quote.Price;
        return move;
    }
}
