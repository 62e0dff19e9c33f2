using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>
/// Bounds on what one REST request may ask for (<c>Limits:MaxSearchQueryLength</c>, <c>Limits:MaxSearchResults</c>,
/// <c>Limits:MaxHistoryMultiplier</c>, <c>Limits:MaxMinuteHistoryDays</c>, <c>Limits:MaxHourHistoryDays</c>,
/// <c>Limits:MaxHistoryDays</c>, <c>Limits:MaxHistoryBars</c>, <c>Limits:MaxSymbolsPerRequest</c>, <c>Limits:MaxOptionContracts</c>): each
/// request costs provider calls, cache space and memory in proportion to them.
/// Read once at start; a value outside its range stops the node, naming the setting.
/// </summary>
public sealed record QueryLimits(
    int MaxSearchQueryLength = 50,
    int MaxSearchResults = 100,
    int MaxHistoryMultiplier = 1_000,
    int MaxMinuteHistoryDays = 31,
    int MaxHourHistoryDays = 366,
    int MaxHistoryDays = 366 * 20,
    int MaxHistoryBars = 50_000,
    int MaxSymbolsPerRequest = SymbolRules.MaxPerConnection,
    int MaxOptionContracts = 1_000)
{
    /// <summary>Longest search query: it becomes a cache key and a provider URL.</summary>
    public const int SearchQueryCeiling = 200;
    /// <summary>Most search results: Polygon's own page limit for lists.</summary>
    public const int SearchResultsCeiling = 1_000;
    public const int MultiplierCeiling = 100_000;
    /// <summary>Longest history range: a century, since dates start in 1970.</summary>
    public const int DaysCeiling = 36_600;
    /// <summary>Most option contracts one read holds: forty pages of the provider's chain snapshot.</summary>
    public const int OptionContractsCeiling = 10_000;
    /// <summary>Most bars one history answer holds (and the cache keeps): a million bars is some 100 MB of JSON.</summary>
    public const int BarsCeiling = 1_000_000;

    public static QueryLimits From(IConfiguration configuration)
    {
        var defaults = new QueryLimits();
        return new QueryLimits(
            Read(configuration, "Limits:MaxSearchQueryLength", defaults.MaxSearchQueryLength, SearchQueryCeiling),
            Read(configuration, "Limits:MaxSearchResults", defaults.MaxSearchResults, SearchResultsCeiling),
            Read(configuration, "Limits:MaxHistoryMultiplier", defaults.MaxHistoryMultiplier, MultiplierCeiling),
            Read(configuration, "Limits:MaxMinuteHistoryDays", defaults.MaxMinuteHistoryDays, DaysCeiling),
            Read(configuration, "Limits:MaxHourHistoryDays", defaults.MaxHourHistoryDays, DaysCeiling),
            Read(configuration, "Limits:MaxHistoryDays", defaults.MaxHistoryDays, DaysCeiling),
            Read(configuration, "Limits:MaxHistoryBars", defaults.MaxHistoryBars, BarsCeiling),
            // The contract's 50 (PROTOCOL.md) may only be lowered: clients ask for as many as a connection may hold.
            Read(configuration, "Limits:MaxSymbolsPerRequest", defaults.MaxSymbolsPerRequest, SymbolRules.MaxPerConnection),
            Read(configuration, "Limits:MaxOptionContracts", defaults.MaxOptionContracts, OptionContractsCeiling));
    }

    /// <summary>Days a history request of <paramref name="timespan"/> may span; null for a timespan not offered.</summary>
    public int? DaysFor(string timespan) => timespan switch
    {
        "minute" => MaxMinuteHistoryDays,
        "hour" => MaxHourHistoryDays,
        "day" or "week" or "month" => MaxHistoryDays,
        _ => null,
    };

    private static int Read(IConfiguration configuration, string setting, int fallback, int ceiling) =>
        Quotes.Host.Composition.LimitSetting.Int(configuration, setting, fallback, 1, ceiling);
}
