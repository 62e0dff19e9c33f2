using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quotes.Actors.Polygon;

/// <summary>
/// Typed client for Polygon's REST API. The key goes in <c>Authorization: Bearer</c>, never in a URL that could be logged.
/// </summary>
public sealed class PolygonRestClient(HttpClient http, PolygonOptions options)
{
    /// <summary>The prior session's close from <c>/v2/aggs/ticker/{t}/prev</c>; null when Polygon has none.</summary>
    public async Task<decimal?> GetPreviousCloseAsync(string symbol, CancellationToken ct)
    {
        var parsed = await GetAsync($"v2/aggs/ticker/{Uri.EscapeDataString(symbol)}/prev", PolygonRestJsonContext.Default.PreviousCloseResponse, ct).ConfigureAwait(false);
        return parsed?.Results is [{ Close: > 0 } bar, ..] ? bar.Close : null;
    }

    /// <summary>
    /// The symbol's current state from the single-ticker snapshot (POLYGON.md §2.3.2), as an aggregate stamped with the
    /// snapshot's update time, plus the previous close. Null when Polygon has no price for it.
    /// </summary>
    public async Task<(AggregateBar Bar, decimal? PreviousClose)?> GetSnapshotAsync(string symbol, CancellationToken ct)
    {
        var parsed = await GetAsync($"v2/snapshot/locale/us/markets/stocks/tickers/{Uri.EscapeDataString(symbol)}", PolygonRestJsonContext.Default.SnapshotResponse, ct).ConfigureAwait(false);
        if (parsed?.Ticker is not { } t) return null;
        var price = t.LastTrade?.Price is > 0 ? t.LastTrade.Price : t.Min?.Close is > 0 ? t.Min.Close : t.Day?.Close ?? 0;
        if (price <= 0) return null;
        var updatedMs = t.Updated > 0 ? t.Updated / 1_000_000 : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bar = new AggregateBar
        {
            Symbol = symbol, Open = price, High = Math.Max(price, t.Day?.High ?? 0), Low = t.Day?.Low is > 0 ? Math.Min(price, t.Day.Low) : price, Close = price,
            AccumulatedVolume = (long)(t.Day?.Volume ?? 0), OfficialOpen = t.Day?.Open ?? 0, DayVwap = t.Day?.Vwap ?? 0,
            Start = updatedMs, End = updatedMs,
        };
        return (bar, t.PrevDay?.Close is > 0 ? t.PrevDay.Close : null);
    }

    private async Task<T?> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.RestBaseUri(), path));
        if (!string.IsNullOrEmpty(options.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new PolygonRestException((int)response.StatusCode, $"Polygon GET {path.Split('?')[0]} failed with HTTP {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, type, ct).ConfigureAwait(false);
    }
}

/// <summary>A Polygon REST call that failed; the message names the status, never the key.</summary>
public sealed class PolygonRestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

internal sealed record PreviousCloseResponse([property: JsonPropertyName("results")] PreviousCloseBar[]? Results);

internal sealed record PreviousCloseBar([property: JsonPropertyName("c")] decimal Close);

internal sealed record SnapshotResponse([property: JsonPropertyName("ticker")] TickerSnapshot? Ticker);

internal sealed record TickerSnapshot(
    [property: JsonPropertyName("updated")] long Updated,
    [property: JsonPropertyName("day")] SnapshotBar? Day,
    [property: JsonPropertyName("prevDay")] SnapshotBar? PrevDay,
    [property: JsonPropertyName("min")] SnapshotBar? Min,
    [property: JsonPropertyName("lastTrade")] SnapshotTrade? LastTrade);

internal sealed record SnapshotBar(
    [property: JsonPropertyName("o")] decimal Open,
    [property: JsonPropertyName("h")] decimal High,
    [property: JsonPropertyName("l")] decimal Low,
    [property: JsonPropertyName("c")] decimal Close,
    [property: JsonPropertyName("v")] double Volume,
    [property: JsonPropertyName("vw")] decimal Vwap);

internal sealed record SnapshotTrade([property: JsonPropertyName("p")] decimal Price);

[JsonSerializable(typeof(PreviousCloseResponse))]
[JsonSerializable(typeof(SnapshotResponse))]
internal sealed partial class PolygonRestJsonContext : JsonSerializerContext;
