using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quotes.Contracts;

/// <summary>Server-to-client WebSocket messages (PROTOCOL.md, "Server messages"). Each is one element of a frame's array.</summary>
public static class ServerMessages
{
    public const int ProtocolVersion = 1;

    /// <param name="CommandsPerSecond">
    /// The connection's command budget (added compatibly in version 1): commands a second past <paramref name="CommandBurst"/>;
    /// a client paces itself under both. Null from a server that does not announce it (20 and 40 then).
    /// </param>
    public sealed record Welcome(string SessionId, int MaxSymbols, string Node,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CommandsPerSecond = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CommandBurst = null)
    {
        [JsonPropertyOrder(-1)] public string Type => "welcome";
        public int Protocol => ProtocolVersion;
    }

    /// <param name="Feed"><c>simulator</c> (simulated prices from the built-in simulator), <c>realtime</c> or <c>delayed</c>.</param>
    public sealed record Status(string Upstream, string Market, string Feed)
    {
        [JsonPropertyOrder(-1)] public string Type => "status";
    }

    public sealed record Subscribed(IReadOnlyList<string> Symbols, int Count, int Limit, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Id)
    {
        [JsonPropertyOrder(-1)] public string Type => "subscribed";
    }

    public sealed record Unsubscribed(IReadOnlyList<string> Symbols, int Count, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Id)
    {
        [JsonPropertyOrder(-1)] public string Type => "unsubscribed";
    }

    public sealed record Pong(long Time, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Id)
    {
        [JsonPropertyOrder(-1)] public string Type => "pong";
    }

    public sealed record Error(string Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Symbols = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Id = null)
    {
        [JsonPropertyOrder(-1)] public string Type => "error";
    }
}

/// <summary>Upstream connection states as clients see them in <c>status.upstream</c>.</summary>
public static class UpstreamStates
{
    public const string Connecting = "connecting";
    public const string Connected = "connected";
    public const string Reconnecting = "reconnecting";
    /// <summary>Connected, but no aggregate came for <c>Quotes:StaleAfter</c> while the market is open: the server reconnects.</summary>
    public const string Stale = "stale";
    public const string Unauthorized = "unauthorized";
    public const string Down = "down";
}

/// <summary>Market session states as clients see them in <c>status.market</c>.</summary>
public static class MarketStates
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string ExtendedHours = "extended-hours";
}
