using System.Globalization;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>
/// Validation of REST parameters: everything reaching the upstream has passed through here. Pure; the configured bounds come
/// in as <see cref="QueryLimitOptions"/>. Each check returns the value or the refusal (<see cref="Checked{T}"/>), never throws.
/// </summary>
public static class MarketQueries
{
    /// <summary>Search results without a <c>limit</c>; fewer if <c>Limits:MaxSearchResults</c> is lower.</summary>
    public const int DefaultSearchResults = 10;

    public static Checked<string> Symbol(string? raw) =>
        SymbolRules.TryNormalize(raw, out var symbol)
            ? symbol
            : ApiError.BadRequest(ErrorCodes.InvalidSymbol, "symbols must match ^[A-Z][A-Z0-9.\\-]{0,9}$ after trimming and upper-casing");

    public static Checked<string[]> Symbols(string? list, QueryLimitOptions limits)
    {
        var parts = (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return ApiError.BadRequest(ErrorCodes.InvalidParameter, "symbols is required, e.g. symbols=AAPL,TSLA");
        var symbols = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (Symbol(part).Failed(out var error, out var symbol)) return error;
            if (!symbols.Contains(symbol)) symbols.Add(symbol);
        }
        return symbols.Count <= limits.MaxSymbolsPerRequest
            ? symbols.ToArray()
            : ApiError.BadRequest(ErrorCodes.SymbolLimit, $"at most {limits.MaxSymbolsPerRequest} symbols per request");
    }

    public sealed record HistoryQuery(string Symbol, DateOnly From, DateOnly To, string Timespan, int Multiplier);

    public static Checked<HistoryQuery> History(string? symbol, string? from, string? to, string? timespan, string? multiplier, QueryLimitOptions limits)
    {
        var span = string.IsNullOrEmpty(timespan) ? "day" : timespan;
        if (limits.DaysFor(span) is not { } maxDays)
            return ApiError.BadRequest(ErrorCodes.InvalidParameter, "timespan must be one of minute, hour, day, week, month");
        var mult = 1;
        if (!string.IsNullOrEmpty(multiplier) && (!int.TryParse(multiplier, NumberStyles.None, CultureInfo.InvariantCulture, out mult) || mult < 1 || mult > limits.MaxHistoryMultiplier))
            return ApiError.BadRequest(ErrorCodes.InvalidParameter, $"multiplier must be an integer from 1 to {limits.MaxHistoryMultiplier}");
        if (Date(from, "from").Failed(out var error, out var start)) return error;
        if (Date(to, "to").Failed(out error, out var end)) return error;
        if (start > end) return ApiError.BadRequest(ErrorCodes.InvalidRange, "from must not be after to");
        if (end.DayNumber - start.DayNumber > maxDays)
            return ApiError.BadRequest(ErrorCodes.InvalidRange, $"a {span} range may span at most {maxDays} days");
        if (Symbol(symbol).Failed(out error, out var valid)) return error;
        return new HistoryQuery(valid, start, end, span, mult);
    }

    public static Checked<(string Query, int Limit)> Search(string? q, string? limit, QueryLimitOptions limits)
    {
        var query = (q ?? "").Trim();
        if (query.Length == 0 || query.Length > limits.MaxSearchQueryLength || query.Any(char.IsControl))
            return ApiError.BadRequest(ErrorCodes.InvalidParameter, $"q is required: 1 to {limits.MaxSearchQueryLength} printable characters");
        var n = Math.Min(DefaultSearchResults, limits.MaxSearchResults);
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > limits.MaxSearchResults))
            return ApiError.BadRequest(ErrorCodes.InvalidParameter, $"limit must be an integer from 1 to {limits.MaxSearchResults}");
        return (query, n);
    }

    /// <summary>An option chain read: the underlying, and the provider's filters (each null when not asked).</summary>
    public sealed record OptionsQuery(string Symbol, DateOnly? Expiry, string? Type, decimal? StrikeMin, decimal? StrikeMax);

    public static Checked<OptionsQuery> Options(string? symbol, string? expiry, string? type, string? strikeMin, string? strikeMax)
    {
        if (!string.IsNullOrEmpty(type) && type is not ("call" or "put"))
            return ApiError.BadRequest(ErrorCodes.InvalidParameter, "type must be call or put");
        if (Strike(strikeMin, "strikeMin").Failed(out var error, out var min)) return error;
        if (Strike(strikeMax, "strikeMax").Failed(out error, out var max)) return error;
        if (min > max) return ApiError.BadRequest(ErrorCodes.InvalidParameter, "strikeMin must not be above strikeMax");
        if (Symbol(symbol).Failed(out error, out var valid)) return error;
        DateOnly? day = null;
        if (!string.IsNullOrEmpty(expiry))
        {
            if (Date(expiry, "expiry").Failed(out error, out var date)) return error;
            day = date;
        }
        return new OptionsQuery(valid, day, string.IsNullOrEmpty(type) ? null : type, min, max);
    }

    /// <summary>Longest strike accepted: a price with cents up to a billion dollars.</summary>
    private const int MaxStrikeLength = 13;

    private static Checked<decimal?> Strike(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return default(decimal?);
        return text.Length <= MaxStrikeLength && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var strike)
            ? (decimal?)strike
            : ApiError.BadRequest(ErrorCodes.InvalidParameter, $"{name} must be a price of at least 0, e.g. {name}=150 or {name}=152.5");
    }

    private static Checked<DateOnly> Date(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return ApiError.BadRequest(ErrorCodes.InvalidDate, $"{name} is required as YYYY-MM-DD");
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1970
            ? date
            : ApiError.BadRequest(ErrorCodes.InvalidDate, $"{name} must be a date as YYYY-MM-DD, from 1970-01-01");
    }
}
