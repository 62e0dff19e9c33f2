using System.Text.Json;
using System.Text.Json.Serialization;
using Quotes.Contracts.Polygon;

namespace Quotes.Simulator;

/// <summary>An <c>A</c> event exactly as Polygon sends it (POLYGON.md §1.6).</summary>
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

/// <summary>A client action: <c>{"action":"auth|subscribe|unsubscribe","params":"..."}</c>.</summary>
public sealed record PolygonAction(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("params")] string? Params);

/// <summary>One daily bar in a <c>/v2/aggs</c> response.</summary>
public sealed record PolygonBar(
    [property: JsonPropertyName("T")] string Ticker,
    [property: JsonPropertyName("v")] double Volume,
    [property: JsonPropertyName("vw")] decimal Vwap,
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("t")] long Time,
    [property: JsonPropertyName("n")] long Transactions);

/// <summary><c>GET /v2/aggs/ticker/{t}/prev</c> (POLYGON.md §2.3.1).</summary>
public sealed record PolygonPreviousClose(
    [property: JsonPropertyName("ticker")] string Ticker,
    [property: JsonPropertyName("queryCount")] int QueryCount,
    [property: JsonPropertyName("resultsCount")] int ResultsCount,
    [property: JsonPropertyName("adjusted")] bool Adjusted,
    [property: JsonPropertyName("results")] PolygonBar[] Results,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("count")] int Count);

/// <summary>Polygon's REST error body (POLYGON.md §2.4).</summary>
public sealed record PolygonRestError(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("error")] string Error);

/// <summary><c>GET /v2/snapshot/locale/us/markets/stocks/tickers/{t}</c> (POLYGON.md §2.3.2).</summary>
public sealed record PolygonSnapshot(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("ticker")] PolygonTickerSnapshot Ticker);

public sealed record PolygonTickerSnapshot(
    [property: JsonPropertyName("ticker")] string Ticker,
    [property: JsonPropertyName("todaysChange")] decimal TodaysChange,
    [property: JsonPropertyName("todaysChangePerc")] decimal TodaysChangePerc,
    [property: JsonPropertyName("updated")] long Updated,
    [property: JsonPropertyName("day")] PolygonDayBar Day,
    [property: JsonPropertyName("prevDay")] PolygonDayBar PrevDay,
    [property: JsonPropertyName("min")] PolygonMinuteBar Min,
    [property: JsonPropertyName("lastTrade")] PolygonLastTrade LastTrade);

public sealed record PolygonDayBar(
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("v")] double Volume,
    [property: JsonPropertyName("vw")] decimal Vwap);

public sealed record PolygonMinuteBar(
    [property: JsonPropertyName("av")] long AccumulatedVolume,
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("v")] double Volume,
    [property: JsonPropertyName("vw")] decimal Vwap,
    [property: JsonPropertyName("n")] long Transactions,
    [property: JsonPropertyName("t")] long Time);

public sealed record PolygonLastTrade(
    [property: JsonPropertyName("c")] int[]? Conditions,
    [property: JsonPropertyName("i")] string Id,
    [property: JsonPropertyName("p")] decimal Price,
    [property: JsonPropertyName("s")] long Size,
    [property: JsonPropertyName("t")] long Time,
    [property: JsonPropertyName("x")] int Exchange);

/// <summary>The simulator's fault switches as JSON, for the control endpoint.</summary>
public sealed record FaultSettings(bool RefuseAuth = false, bool EvictAfterAuth = false, bool EvictSilently = false, bool Stalled = false, int FrameDelayMs = 0);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)] // wire types name their fields explicitly
[JsonSerializable(typeof(PolygonAggregate))]
[JsonSerializable(typeof(PolygonSnapshot))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(SimulatorReport))]
[JsonSerializable(typeof(PolygonAction))]
[JsonSerializable(typeof(PolygonPreviousClose))]
[JsonSerializable(typeof(PolygonRestError))]
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
