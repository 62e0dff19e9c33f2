using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>
/// Bounds on what one REST request may ask for (<c>Limits:MaxSearchQueryLength</c>, <c>Limits:MaxSearchResults</c>,
/// <c>Limits:MaxHistoryMultiplier</c>, <c>Limits:MaxMinuteHistoryDays</c>, <c>Limits:MaxHourHistoryDays</c>,
/// <c>Limits:MaxHistoryDays</c>, <c>Limits:MaxHistoryBars</c>, <c>Limits:MaxSymbolsPerRequest</c>, <c>Limits:MaxOptionContracts</c>): each
/// request costs provider calls, cache space and memory in proportion to them.
/// Read once at start; a value outside its range stops the node, naming the setting.
/// </summary>
public sealed class QueryLimitOptions
{
    public const string Section = "Limits";

    public int MaxSearchQueryLength { get; set; } = 50;
    public int MaxSearchResults { get; set; } = 100;
    public int MaxHistoryMultiplier { get; set; } = 1_000;
    public int MaxMinuteHistoryDays { get; set; } = 31;
    public int MaxHourHistoryDays { get; set; } = 366;
    public int MaxHistoryDays { get; set; } = 366 * 20;
    public int MaxHistoryBars { get; set; } = 50_000;
    public int MaxSymbolsPerRequest { get; set; } = SymbolRules.MaxPerConnection;
    public int MaxOptionContracts { get; set; } = 1_000;

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

    /// <summary>Each bound outside its range (1 to its ceiling), named with its setting; empty when none is.</summary>
    public IEnumerable<string> Problems() => new[]
    {
        Range("Limits:MaxSearchQueryLength", MaxSearchQueryLength, SearchQueryCeiling),
        Range("Limits:MaxSearchResults", MaxSearchResults, SearchResultsCeiling),
        Range("Limits:MaxHistoryMultiplier", MaxHistoryMultiplier, MultiplierCeiling),
        Range("Limits:MaxMinuteHistoryDays", MaxMinuteHistoryDays, DaysCeiling),
        Range("Limits:MaxHourHistoryDays", MaxHourHistoryDays, DaysCeiling),
        Range("Limits:MaxHistoryDays", MaxHistoryDays, DaysCeiling),
        Range("Limits:MaxHistoryBars", MaxHistoryBars, BarsCeiling),
        // The contract's 50 (PROTOCOL.md) may only be lowered: clients ask for as many as a connection may hold.
        Range("Limits:MaxSymbolsPerRequest", MaxSymbolsPerRequest, SymbolRules.MaxPerConnection),
        Range("Limits:MaxOptionContracts", MaxOptionContracts, OptionContractsCeiling),
    }.OfType<string>();

    /// <summary>Days a history request of <paramref name="timespan"/> may span; null for a timespan not offered.</summary>
    public int? DaysFor(string timespan) => timespan switch
    {
        "minute" => MaxMinuteHistoryDays,
        "hour" => MaxHourHistoryDays,
        "day" or "week" or "month" => MaxHistoryDays,
        _ => null,
    };

    private static string? Range(string setting, int value, int ceiling) =>
        value >= 1 && value <= ceiling ? null : $"{setting} must be from 1 to {ceiling}; it is {value}";
}
