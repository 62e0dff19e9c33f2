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
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.RestBaseUri(), $"v2/aggs/ticker/{Uri.EscapeDataString(symbol)}/prev"));
        if (!string.IsNullOrEmpty(options.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new PolygonRestException((int)response.StatusCode, $"Polygon previous close for {symbol} failed with HTTP {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var parsed = await JsonSerializer.DeserializeAsync(body, PolygonRestJsonContext.Default.PreviousCloseResponse, ct).ConfigureAwait(false);
        return parsed?.Results is [{ Close: > 0 } bar, ..] ? bar.Close : null;
    }
}

/// <summary>A Polygon REST call that failed; the message names the status, never the key.</summary>
public sealed class PolygonRestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

internal sealed record PreviousCloseResponse([property: JsonPropertyName("results")] PreviousCloseBar[]? Results);

internal sealed record PreviousCloseBar([property: JsonPropertyName("c")] decimal Close);

[JsonSerializable(typeof(PreviousCloseResponse))]
internal sealed partial class PolygonRestJsonContext : JsonSerializerContext;
