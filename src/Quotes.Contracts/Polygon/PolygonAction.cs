using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quotes.Contracts.Polygon;

/// <summary>
/// A Polygon client action, <c>{"action":"auth|subscribe|unsubscribe","params":"…"}</c>: the upstream writes it to
/// its provider (<see cref="Encode"/>), the façade reads it from its clients (<see cref="Read"/>), the simulator
/// deserializes it.
/// </summary>
public sealed record PolygonAction(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("params")] string? Params)
{
    /// <summary>The action as one JSON text.</summary>
    public string Encode() =>
        $"{{\"action\":{JsonSerializer.Serialize(Action)},\"params\":{JsonSerializer.Serialize(Params)}}}";

    /// <summary>
    /// Reads an action leniently: a field that is missing or not a string is null, and anything that is not a JSON
    /// object (or not JSON at all) is an action with neither, which the reader answers as an error; <paramref name="problem"/>
    /// says why a frame that is not JSON (or is nested too deeply) was not read, else null.
    /// </summary>
    public static PolygonAction Read(ReadOnlySpan<byte> json, JsonDocumentOptions options, out string? problem)
    {
        problem = null;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), options);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new(null, null);
            var action = root.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            var parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return new(action, parameters);
        }
        catch (JsonException)
        {
            problem = JsonRejection.Describe(json, options);
            return new(null, null);
        }
        catch (InvalidOperationException)
        {
            // A string escape that is not Unicode (a lone surrogate): JSON, but no text.
            return new(null, null);
        }
    }
}
