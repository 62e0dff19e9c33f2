namespace Quotes.Contracts;

/// <summary>Where a REST quote came from (PROTOCOL.md, REST).</summary>
public static class QuoteSources
{
    public const string Live = "live";
    public const string Snapshot = "snapshot";
    public const string PreviousClose = "previous-close";
}

/// <summary>One OHLCV bar of <c>/api/market/historical</c>; field names as Polygon's.</summary>
public sealed record HistoricalBar(long T, decimal O, decimal H, decimal L, decimal C, double V, decimal? Vw, long? N);

/// <summary>The data of <c>/api/market/historical/{symbol}</c>: bars in ascending time.</summary>
public sealed record HistoricalBars(string Symbol, string Timespan, int Multiplier, IReadOnlyList<HistoricalBar> Bars);

/// <summary>One match of <c>/api/market/search</c>.</summary>
public sealed record TickerMatch(string Symbol, string? Name, string? Market, string? Exchange, string? Type, bool Active);

public sealed record ExchangeStatus(string? Nyse, string? Nasdaq);

/// <summary>The data of <c>/api/market/status</c>.</summary>
public sealed record MarketStatusData(string Market, string? ServerTime, ExchangeStatus Exchanges);

/// <summary>
/// One contract of <c>/api/market/options/{symbol}</c>, with its market from the provider's option chain snapshot: each
/// of those values null when the provider has none. Greeks as the provider reports them: theta per calendar day, vega
/// per point of volatility.
/// </summary>
public sealed record OptionContractData(string Ticker, string Underlying, string Type, decimal Strike, string Expiry)
{
    public decimal? Bid { get; init; }
    public decimal? Ask { get; init; }
    public decimal? Last { get; init; }
    /// <summary>Implied volatility, annual, as a fraction (0.25 is 25 %).</summary>
    public double? Iv { get; init; }
    public double? Delta { get; init; }
    public double? Gamma { get; init; }
    public double? Theta { get; init; }
    public double? Vega { get; init; }
    public long? OpenInterest { get; init; }
    /// <summary>Contracts traded today.</summary>
    public long? Volume { get; init; }
    public decimal? BreakEven { get; init; }
    public decimal? UnderlyingPrice { get; init; }
}
