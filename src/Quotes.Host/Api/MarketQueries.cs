using System.Globalization;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>Validation of REST parameters: everything reaching the upstream has passed through here. Pure; the configured bounds come in as <see cref="QueryLimits"/>.</summary>
public static class MarketQueries
{
    /// <summary>Search results without a <c>limit</c>; fewer if <c>Limits:MaxSearchResults</c> is lower.</summary>
    public const int DefaultSearchResults = 10;

    public static string Symbol(string? raw) =>
        SymbolRules.TryNormalize(raw, out var symbol)
            ? symbol
            : throw ApiError.BadRequest(ErrorCodes.InvalidSymbol, "symbols must match ^[A-Z][A-Z0-9.\\-]{0,9}$ after trimming and upper-casing");

    public static IReadOnlyList<string> Symbols(string? list, QueryLimits limits)
    {
        var parts = (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "symbols is required, e.g. symbols=AAPL,TSLA");
        var symbols = parts.Select(Symbol).Distinct().ToList();
        return symbols.Count <= limits.MaxSymbolsPerRequest
            ? symbols
            : throw ApiError.BadRequest(ErrorCodes.SymbolLimit, $"at most {limits.MaxSymbolsPerRequest} symbols per request");
    }

    public sealed record HistoryQuery(string Symbol, DateOnly From, DateOnly To, string Timespan, int Multiplier);

    public static HistoryQuery History(string? symbol, string? from, string? to, string? timespan, string? multiplier, QueryLimits limits)
    {
        var span = string.IsNullOrEmpty(timespan) ? "day" : timespan;
        if (limits.DaysFor(span) is not { } maxDays)
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "timespan must be one of minute, hour, day, week, month");
        var mult = 1;
        if (!string.IsNullOrEmpty(multiplier) && (!int.TryParse(multiplier, NumberStyles.None, CultureInfo.InvariantCulture, out mult) || mult < 1 || mult > limits.MaxHistoryMultiplier))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, $"multiplier must be an integer from 1 to {limits.MaxHistoryMultiplier}");
        var start = Date(from, "from");
        var end = Date(to, "to");
        if (start > end) throw ApiError.BadRequest(ErrorCodes.InvalidRange, "from must not be after to");
        if (end.DayNumber - start.DayNumber > maxDays)
            throw ApiError.BadRequest(ErrorCodes.InvalidRange, $"a {span} range may span at most {maxDays} days");
        return new HistoryQuery(Symbol(symbol), start, end, span, mult);
    }

    public static (string Query, int Limit) Search(string? q, string? limit, QueryLimits limits)
    {
        var query = (q ?? "").Trim();
        if (query.Length == 0 || query.Length > limits.MaxSearchQueryLength || query.Any(char.IsControl))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, $"q is required: 1 to {limits.MaxSearchQueryLength} printable characters");
        var n = Math.Min(DefaultSearchResults, limits.MaxSearchResults);
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > limits.MaxSearchResults))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, $"limit must be an integer from 1 to {limits.MaxSearchResults}");
        return (query, n);
    }

    /// <summary>An option chain read: the underlying, and the provider's filters (each null when not asked).</summary>
    public sealed record OptionsQuery(string Symbol, DateOnly? Expiry, string? Type, decimal? StrikeMin, decimal? StrikeMax);

    public static OptionsQuery Options(string? symbol, string? expiry, string? type, string? strikeMin, string? strikeMax)
    {
        if (!string.IsNullOrEmpty(type) && type is not ("call" or "put"))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "type must be call or put");
        var min = Strike(strikeMin, "strikeMin");
        var max = Strike(strikeMax, "strikeMax");
        if (min > max) throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "strikeMin must not be above strikeMax");
        return new OptionsQuery(Symbol(symbol), string.IsNullOrEmpty(expiry) ? null : Date(expiry, "expiry"), string.IsNullOrEmpty(type) ? null : type, min, max);
    }

    /// <summary>Longest strike accepted: a price with cents up to a billion dollars.</summary>
    private const int MaxStrikeLength = 13;

    private static decimal? Strike(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length <= MaxStrikeLength && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var strike)
            ? strike
            : throw ApiError.BadRequest(ErrorCodes.InvalidParameter, $"{name} must be a price of at least 0, e.g. {name}=150 or {name}=152.5");
    }

    private static DateOnly Date(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) throw ApiError.BadRequest(ErrorCodes.InvalidDate, $"{name} is required as YYYY-MM-DD");
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1970
            ? date
            : throw ApiError.BadRequest(ErrorCodes.InvalidDate, $"{name} must be a date as YYYY-MM-DD");
    }
}
