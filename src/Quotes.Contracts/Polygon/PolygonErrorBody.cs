using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Quotes.Contracts.Polygon;

/// <summary>
/// Polygon's REST error body, <c>{"status":…,"request_id":…,"error"|"message":…}</c>: an <c>ERROR</c> status carries
/// <c>error</c>, the others <c>message</c>. Written by the simulator (playing Polygon) and the façade's REST relay
/// (<see cref="Write"/>), read by the provider client when Polygon refuses a call.
/// </summary>
public sealed record PolygonErrorBody(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("message")] string? Message)
{
    /// <summary>The body as JSON text; a new request id unless <paramref name="requestId"/> is given.</summary>
    public static string Write(string kind, string text, string? requestId = null) =>
        new JsonObject { ["status"] = kind, ["request_id"] = requestId ?? Guid.NewGuid().ToString("N"), [kind == "ERROR" ? "error" : "message"] = text }.ToJsonString();
}
