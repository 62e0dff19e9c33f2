using System.Globalization;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>Validation of REST parameters: everything reaching the upstream has passed through here. Pure.</summary>
public static class MarketQueries
{
    public const int MaxSymbolsPerRequest = SymbolRules.MaxPerConnection;
    public const int MaxBars = 50_000;

    private static readonly Dictionary<string, int> MaxDays = new()
    {
        ["minute"] = 31, ["hour"] = 366, ["day"] = 366 * 20, ["week"] = 366 * 20, ["month"] = 366 * 20,
    };

    public static string Symbol(string? raw) =>
        SymbolRules.TryNormalize(raw, out var symbol)
            ? symbol
            : throw ApiError.BadRequest(ErrorCodes.InvalidSymbol, "symbols must match ^[A-Z][A-Z0-9.\\-]{0,9}$ after trimming and upper-casing");

    public static IReadOnlyList<string> Symbols(string? list)
    {
        var parts = (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "symbols is required, e.g. symbols=AAPL,TSLA");
        var symbols = parts.Select(Symbol).Distinct().ToList();
        return symbols.Count <= MaxSymbolsPerRequest
            ? symbols
            : throw ApiError.BadRequest(ErrorCodes.SymbolLimit, $"at most {MaxSymbolsPerRequest} symbols per request");
    }

    public sealed record HistoryQuery(string Symbol, DateOnly From, DateOnly To, string Timespan, int Multiplier);

    public static HistoryQuery History(string? symbol, string? from, string? to, string? timespan, string? multiplier)
    {
        var span = string.IsNullOrEmpty(timespan) ? "day" : timespan;
        if (!MaxDays.TryGetValue(span, out var maxDays))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "timespan must be one of minute, hour, day, week, month");
        var mult = 1;
        if (!string.IsNullOrEmpty(multiplier) && (!int.TryParse(multiplier, NumberStyles.None, CultureInfo.InvariantCulture, out mult) || mult is < 1 or > 1000))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "multiplier must be an integer from 1 to 1000");
        var start = Date(from, "from");
        var end = Date(to, "to");
        if (start > end) throw ApiError.BadRequest(ErrorCodes.InvalidRange, "from must not be after to");
        if (end.DayNumber - start.DayNumber > maxDays)
            throw ApiError.BadRequest(ErrorCodes.InvalidRange, $"a {span} range may span at most {maxDays} days");
        return new HistoryQuery(Symbol(symbol), start, end, span, mult);
    }

    public static (string Query, int Limit) Search(string? q, string? limit)
    {
        var query = (q ?? "").Trim();
        if (query.Length is 0 or > 50 || query.Any(char.IsControl))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "q is required: 1 to 50 printable characters");
        var n = 10;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > 100))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "limit must be an integer from 1 to 100");
        return (query, n);
    }

    public static (string Symbol, DateOnly? Expiry, string? Type) Options(string? symbol, string? expiry, string? type)
    {
        if (!string.IsNullOrEmpty(type) && type is not ("call" or "put"))
            throw ApiError.BadRequest(ErrorCodes.InvalidParameter, "type must be call or put");
        return (Symbol(symbol), string.IsNullOrEmpty(expiry) ? null : Date(expiry, "expiry"), string.IsNullOrEmpty(type) ? null : type);
    }

    private static DateOnly Date(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) throw ApiError.BadRequest(ErrorCodes.InvalidDate, $"{name} is required as YYYY-MM-DD");
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1970
            ? date
            : throw ApiError.BadRequest(ErrorCodes.InvalidDate, $"{name} must be a date as YYYY-MM-DD");
    }
}
