using Microsoft.AspNetCore.Mvc;
using Quotes.Actors.Upstream.Provider;

namespace Quotes.Host.Api;

/// <summary>What every market handler is given (<c>[AsParameters]</c>): the data service, the configured bounds and the caller.</summary>
public readonly record struct MarketServices(MarketData Data, QueryLimitOptions Limits, HttpContext Http, CancellationToken Cancellation)
{
    /// <summary>Whom the provider calls are charged to (<see cref="RateLimits.CallerOf"/>).</summary>
    public ProviderCaller Caller => RateLimits.CallerOf(Http);
}

/// <summary><c>GET /historical/{symbol}</c>'s parameters, as sent; <see cref="MarketQueries.History"/> checks them.</summary>
public sealed record HistoryRequest(
    [property: FromRoute(Name = "symbol")] string Symbol,
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To,
    [property: FromQuery(Name = "timespan")] string? Timespan,
    [property: FromQuery(Name = "multiplier")] string? Multiplier);

/// <summary><c>GET /options/{symbol}</c>'s parameters, as sent; <see cref="MarketQueries.Options"/> checks them.</summary>
public sealed record OptionsRequest(
    [property: FromRoute(Name = "symbol")] string Symbol,
    [property: FromQuery(Name = "expiry")] string? Expiry,
    [property: FromQuery(Name = "type")] string? Type,
    [property: FromQuery(Name = "strikeMin")] string? StrikeMin,
    [property: FromQuery(Name = "strikeMax")] string? StrikeMax);
