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

/// <summary>One contract of <c>/api/market/options/{symbol}</c>.</summary>
public sealed record OptionContractData(string Ticker, string Underlying, string Type, decimal Strike, string Expiry);
