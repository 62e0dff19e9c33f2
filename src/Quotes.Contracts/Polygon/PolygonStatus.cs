using System.Text.Json;

namespace Quotes.Contracts.Polygon;

/// <summary>
/// A Polygon <c>status</c> event (<c>{"ev":"status","status":…,"message":…}</c>), with the exact texts Polygon uses. Shared by the simulator (playing
/// Polygon) and the Polygon-compatible façade (looking like Polygon to existing clients).
/// </summary>
public sealed record PolygonStatus(string Status, string Message)
{
    public static readonly PolygonStatus Connected = new(PolygonStatusWords.Connected, "Connected Successfully");
    public static readonly PolygonStatus AuthSuccess = new(PolygonStatusWords.AuthSuccess, "authenticated");
    public static readonly PolygonStatus AuthFailed = new(PolygonStatusWords.AuthFailed, "authentication failed");
    public static readonly PolygonStatus AuthTimeout = new(PolygonStatusWords.AuthTimeout, "No authentication request received.");
    public static readonly PolygonStatus AuthRequired = new(PolygonStatusWords.AuthRequired, "authentication required");
    public static readonly PolygonStatus NotAuthorized = new(PolygonStatusWords.Error, "not authorized");
    public static readonly PolygonStatus SlowConsumer = new(PolygonStatusWords.SlowConsumer, "slow consumer");
    public static readonly PolygonStatus MaxConnections = new(PolygonStatusWords.MaxConnections,
        "Maximum number of websocket connections exceeded. You have reached the connection limit for your account. Please contact support at https://polygon.io/contact to increase your limit.");

    /// <summary>Not Polygon's text: AkkaQuotes' own connection limit (per node or per key) refused an authenticated client.</summary>
    public static readonly PolygonStatus ServerFull = new(PolygonStatusWords.MaxConnections, "This server is at its connection limit for this node or key; retry later.");

    /// <summary>
    /// Not Polygon's: a simulator's <c>connected</c>, with <c>"simulated":true</c> (a field real Polygon never sends; its clients
    /// ignore unknown fields), so that a server pointed at a simulator reports its prices as simulated whatever it was told.
    /// </summary>
    public static readonly PolygonStatus SimulatorConnected = Connected with { Simulated = true };

    /// <summary>
    /// Not Polygon's: the response header a simulator's REST answers carry (<c>X-Simulated: true</c>), the REST side of
    /// <see cref="SimulatorConnected"/>.
    /// </summary>
    public const string SimulatedHeader = "X-Simulated";

    /// <summary>Written as <c>"simulated":true</c> when set: the sender is a simulator, its prices are not market data.</summary>
    public bool Simulated { get; init; }

    public static PolygonStatus SubscribedTo(string channel) => new(PolygonStatusWords.Success, $"subscribed to: {channel}");
    public static PolygonStatus UnsubscribedTo(string channel) => new(PolygonStatusWords.Success, $"unsubscribed to: {channel}");
    public static PolygonStatus Error(string message) => new(PolygonStatusWords.Error, message);

    /// <summary><c>{"ev":"status","status":…,"message":…}</c> as UTF-8, one element of a frame's array.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream(96);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ev", "status");
            json.WriteString("status", Status);
            json.WriteString("message", Message);
            if (Simulated) json.WriteBoolean("simulated", true);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A whole frame holding just this status.</summary>
    public byte[] EncodeFrame() => [(byte)'[', .. Encode(), (byte)']'];
}
