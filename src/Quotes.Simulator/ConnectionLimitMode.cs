using System.Text.Json.Serialization;

namespace Quotes.Simulator;

/// <summary>
/// Polygon's account rule: one WebSocket per API key (and asset class). When a second connection of the same key
/// authenticates, Polygon sends <c>max_connections</c> to one of the two and closes it with 1008; which one is not
/// predictable, so the simulator lets a test pick either order.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionLimitMode>))] // "EvictOlder" on the control endpoint, in code and config alike
public enum ConnectionLimitMode
{
    /// <summary>No limit: any number of connections per key (the simulator's default).</summary>
    Off,

    /// <summary>The connection that authenticates second gets <c>auth_success</c>, then <c>max_connections</c> and close 1008.</summary>
    EvictNewer,

    /// <summary>The connection already authenticated gets <c>max_connections</c> and close 1008; the new one streams on.</summary>
    EvictOlder,
}
