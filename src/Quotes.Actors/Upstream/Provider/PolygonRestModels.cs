using System.Text.Json.Serialization;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Upstream.Provider;

// Polygon REST responses (the /v1, /v2 and /v3 paths the server calls), typed for source-generated parsing. Every field but identity is optional:
// Polygon omits empty values, and `results` may be absent or null.

public sealed record PolygonAggBar(
    [property: JsonPropertyName("t")] long Time,
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("v")] double Volume,
    [property: JsonPropertyName("vw")] decimal? Vwap,
    [property: JsonPropertyName("n")] long? Transactions,
    [property: JsonPropertyName("T")] string? Ticker = null);

public sealed record PolygonAggsResponse(
    [property: JsonPropertyName("results")] PolygonAggBar[]? Results,
    [property: JsonPropertyName("next_url")] string? NextUrl);

public sealed record PolygonSnapshotBar(
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("v")] double Volume,
    [property: JsonPropertyName("vw")] decimal? Vwap);

public sealed record PolygonSnapshotTrade(
    [property: JsonPropertyName("p")] decimal Price,
    [property: JsonPropertyName("t")] long Time);

public sealed record PolygonTickerSnapshot(
    [property: JsonPropertyName("ticker")] string Ticker,
    [property: JsonPropertyName("todaysChange")] decimal? TodaysChange,
    [property: JsonPropertyName("todaysChangePerc")] decimal? TodaysChangePerc,
    [property: JsonPropertyName("updated")] long Updated,
    [property: JsonPropertyName("day")] PolygonSnapshotBar? Day,
    [property: JsonPropertyName("prevDay")] PolygonSnapshotBar? PrevDay,
    [property: JsonPropertyName("min")] PolygonSnapshotBar? Min,
    [property: JsonPropertyName("lastTrade")] PolygonSnapshotTrade? LastTrade);

public sealed record PolygonSnapshotResponse([property: JsonPropertyName("ticker")] PolygonTickerSnapshot? Ticker);

public sealed record PolygonSnapshotsResponse(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("count")] int? Count,
    [property: JsonPropertyName("tickers")] PolygonTickerSnapshot[]? Tickers);

public sealed record PolygonTickerResult(
    [property: JsonPropertyName("ticker")] string Ticker,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("market")] string? Market,
    [property: JsonPropertyName("primary_exchange")] string? PrimaryExchange,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("active")] bool? Active);

public sealed record PolygonTickersResponse(
    [property: JsonPropertyName("results")] PolygonTickerResult[]? Results,
    [property: JsonPropertyName("next_url")] string? NextUrl);

public sealed record PolygonExchanges(
    [property: JsonPropertyName("nyse")] string? Nyse,
    [property: JsonPropertyName("nasdaq")] string? Nasdaq);

public sealed record PolygonMarketStatus(
    [property: JsonPropertyName("market")] string? Market,
    [property: JsonPropertyName("serverTime")] string? ServerTime,
    [property: JsonPropertyName("exchanges")] PolygonExchanges? Exchanges);

/// <summary>
/// An option contract as Polygon describes it: an item of <c>/v3/reference/options/contracts</c>, and the <c>details</c> of
/// a contract in the option chain snapshot (which leaves out <c>underlying_ticker</c>).
/// </summary>
public sealed record PolygonOptionContract(
    [property: JsonPropertyName("ticker")] string? Ticker,
    [property: JsonPropertyName("underlying_ticker")] string? Underlying,
    [property: JsonPropertyName("contract_type")] string? Type,
    [property: JsonPropertyName("strike_price")] decimal? StrikePrice,
    [property: JsonPropertyName("expiration_date")] string? ExpirationDate);

public sealed record PolygonOptionsResponse(
    [property: JsonPropertyName("results")] PolygonOptionContract[]? Results,
    [property: JsonPropertyName("next_url")] string? NextUrl);

public sealed record PolygonOptionDay(
    [property: JsonPropertyName("close")] decimal? Close,
    [property: JsonPropertyName("volume")] double? Volume);

public sealed record PolygonOptionGreeks(
    [property: JsonPropertyName("delta")] double? Delta,
    [property: JsonPropertyName("gamma")] double? Gamma,
    [property: JsonPropertyName("theta")] double? Theta,
    [property: JsonPropertyName("vega")] double? Vega);

public sealed record PolygonOptionLastQuote(
    [property: JsonPropertyName("bid")] decimal? Bid,
    [property: JsonPropertyName("ask")] decimal? Ask);

public sealed record PolygonOptionLastTrade([property: JsonPropertyName("price")] decimal? Price);

public sealed record PolygonOptionUnderlying(
    [property: JsonPropertyName("ticker")] string? Ticker,
    [property: JsonPropertyName("price")] decimal? Price);

/// <summary>One contract of the option chain snapshot (<c>/v3/snapshot/options/{underlyingAsset}</c>).</summary>
public sealed record PolygonOptionSnapshot(
    [property: JsonPropertyName("details")] PolygonOptionContract? Details,
    [property: JsonPropertyName("day")] PolygonOptionDay? Day,
    [property: JsonPropertyName("greeks")] PolygonOptionGreeks? Greeks,
    [property: JsonPropertyName("implied_volatility")] double? ImpliedVolatility,
    [property: JsonPropertyName("last_quote")] PolygonOptionLastQuote? LastQuote,
    [property: JsonPropertyName("last_trade")] PolygonOptionLastTrade? LastTrade,
    [property: JsonPropertyName("open_interest")] double? OpenInterest,
    [property: JsonPropertyName("break_even_price")] decimal? BreakEvenPrice,
    [property: JsonPropertyName("underlying_asset")] PolygonOptionUnderlying? UnderlyingAsset);

public sealed record PolygonOptionChainResponse(
    [property: JsonPropertyName("results")] PolygonOptionSnapshot[]? Results,
    [property: JsonPropertyName("next_url")] string? NextUrl);

public sealed record PolygonPrevResponse([property: JsonPropertyName("results")] PolygonAggBar[]? Results);

/// <summary><c>/v2/aggs/grouped/locale/us/market/stocks/{date}</c>: every ticker's bar of the day (each with its <c>T</c>); <c>results</c> absent or null when there is none.</summary>
public sealed record PolygonGroupedResponse([property: JsonPropertyName("results")] PolygonAggBar[]? Results);

[JsonSerializable(typeof(PolygonAggsResponse))]
[JsonSerializable(typeof(PolygonSnapshotResponse))]
[JsonSerializable(typeof(PolygonSnapshotsResponse))]
[JsonSerializable(typeof(PolygonTickersResponse))]
[JsonSerializable(typeof(PolygonMarketStatus))]
[JsonSerializable(typeof(PolygonOptionsResponse))]
[JsonSerializable(typeof(PolygonOptionChainResponse))]
[JsonSerializable(typeof(PolygonPrevResponse))]
[JsonSerializable(typeof(PolygonGroupedResponse))]
[JsonSerializable(typeof(PolygonErrorBody))]
internal sealed partial class PolygonRestJsonContext : JsonSerializerContext;
