using System.Text.Json;
using System.Text.Json.Serialization;
using Quotes.Contracts.Polygon;

namespace Quotes.Simulator;

/// <summary>An <c>A</c> event exactly as Polygon sends it.</summary>
public sealed record PolygonAggregate
{
    [JsonPropertyName("ev")] public string Event { get; init; } = "A";
    [JsonPropertyName("sym")] public required string Symbol { get; init; }
    [JsonPropertyName("v")] public long Volume { get; init; }
    [JsonPropertyName("av")] public long AccumulatedVolume { get; init; }
    [JsonPropertyName("op")] public decimal OfficialOpen { get; init; }
    [JsonPropertyName("vw")] public decimal WindowVwap { get; init; }
    [JsonPropertyName("o")] public decimal Open { get; init; }
    [JsonPropertyName("c")] public decimal Close { get; init; }
    [JsonPropertyName("h")] public decimal High { get; init; }
    [JsonPropertyName("l")] public decimal Low { get; init; }
    [JsonPropertyName("a")] public decimal DayVwap { get; init; }
    [JsonPropertyName("z")] public long AverageSize { get; init; }
    [JsonPropertyName("s")] public long Start { get; init; }
    [JsonPropertyName("e")] public long End { get; init; }
}

/// <summary>The simulator's fault switches as JSON, for the control endpoint. A field left out is off.</summary>
/// <param name="ConnectionLimit">
/// The account rule to switch to (<c>"Off"</c>, <c>"EvictNewer"</c>, <c>"EvictOlder"</c>). Left out, it stays as it
/// is: it is Polygon's rule rather than a fault, so a body that only sets faults (or <c>{}</c>, all off) keeps it.
/// </param>
/// <param name="RestRequestsPerSecond">The REST plan limit to switch to (0: none); left out, it stays as it is, like <paramref name="ConnectionLimit"/>.</param>
public sealed record FaultSettings(bool RefuseAuth = false, bool EvictAfterAuth = false, bool EvictSilently = false, bool Stalled = false, int FrameDelayMs = 0,
    ConnectionLimitMode? ConnectionLimit = null, int? RestRequestsPerSecond = null, bool SnapshotsRefused = false, bool GroupedRefused = false,
    bool Halted = false);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)] // wire types name their fields explicitly
[JsonSerializable(typeof(PolygonAggregate))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(SimulatorReport))]
[JsonSerializable(typeof(ClosedConnectionReport))]
[JsonSerializable(typeof(PolygonAction))]
internal sealed partial class PolygonWireJsonContext : JsonSerializerContext;

/// <summary>Builds Polygon frames: every frame is a JSON array of events.</summary>
internal static class PolygonFrames
{
    public static byte[] Status(PolygonStatus status) => status.EncodeFrame();

    public static byte[] Frame(IReadOnlyList<byte[]> events)
    {
        var size = 2 + events.Sum(e => e.Length) + Math.Max(0, events.Count - 1);
        var frame = new byte[size];
        var at = 0;
        frame[at++] = (byte)'[';
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0) frame[at++] = (byte)',';
            events[i].CopyTo(frame, at);
            at += events[i].Length;
        }
        frame[at] = (byte)']';
        return frame;
    }
}
