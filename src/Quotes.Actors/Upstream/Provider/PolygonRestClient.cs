using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// Typed client for Polygon's REST API. The key goes in <c>Authorization: Bearer</c>, never in a URL that
/// could be logged; <c>next_url</c> pages are followed only on Polygon's own origin. Retries, timeouts and the circuit
/// breaker come from the resilience pipeline registered in <see cref="PolygonRestSetup"/>; failures surface as
/// <see cref="PolygonRestException"/>.
/// </summary>
public sealed class PolygonRestClient(HttpClient http, PolygonOptions options)
{
    /// <summary>Whom this client's calls are charged to in the provider budget (<see cref="ProviderRateLimiter"/>); the server unless <see cref="As"/> says otherwise.</summary>
    public ProviderCaller Caller { get; private init; }

    /// <summary>The same client, its calls charged to <paramref name="caller"/> (a client key's REST reads and façade relays).</summary>
    public PolygonRestClient As(ProviderCaller caller) => new(http, options) { Caller = caller };

    /// <summary>Symbols per full-market snapshot request. Massive's knowledge base: the universal snapshot takes at most 250; assumed for this one too.</summary>
    public const int MaxTickersPerSnapshot = 250;
    private static readonly PolygonRestJsonContext Json = PolygonRestJsonContext.Default;

    /// <summary>The prior session's daily bar; null when Polygon has none.</summary>
    public async Task<PolygonAggBar?> GetPreviousDayAsync(string symbol, CancellationToken ct)
    {
        var parsed = await GetAsync(Relative($"v2/aggs/ticker/{Escape(symbol)}/prev?adjusted=true"), Json.PolygonPrevResponse, ct).ConfigureAwait(false);
        return parsed?.Results is [{ Close: > 0 } bar, ..] ? bar : null;
    }

    /// <summary>
    /// Every ticker's daily bar of <paramref name="date"/> in one request (grouped daily,
    /// <c>/v2/aggs/grouped/locale/us/market/stocks/{date}?adjusted=true</c>); empty when Polygon has none for that date (a
    /// holiday, a weekend, a day not yet closed). Bars without a ticker or a close are left out.
    /// </summary>
    public async Task<IReadOnlyList<PolygonAggBar>> GetGroupedDailyAsync(DateOnly date, CancellationToken ct)
    {
        var parsed = await GetAsync(Relative($"v2/aggs/grouped/locale/us/market/stocks/{Date(date)}?adjusted=true"), Json.PolygonGroupedResponse, ct).ConfigureAwait(false);
        return parsed?.Results?.Where(b => b.Ticker is { Length: > 0 } && b.Close > 0).ToList() ?? [];
    }

    /// <summary>The single-ticker snapshot (<c>/v2/snapshot/locale/us/markets/stocks/tickers/{t}</c>); null when Polygon has none.</summary>
    public async Task<PolygonTickerSnapshot?> GetTickerSnapshotAsync(string symbol, CancellationToken ct) =>
        (await GetAsync(Relative($"v2/snapshot/locale/us/markets/stocks/tickers/{Escape(symbol)}"), Json.PolygonSnapshotResponse, ct).ConfigureAwait(false))?.Ticker;

    /// <summary>
    /// Each symbol's snapshot from the full-market snapshot (<c>/v2/snapshot/locale/us/markets/stocks/tickers?tickers=…</c>,
    /// one request per <see cref="MaxTickersPerSnapshot"/> symbols), as Polygon sends it. Symbols Polygon does not list are
    /// left out; no symbols, no request. <see cref="ProviderDay.Of"/> reads a day from one.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PolygonTickerSnapshot>> GetSnapshotsAsync(IReadOnlyCollection<string> symbols, CancellationToken ct)
    {
        var snapshots = new Dictionary<string, PolygonTickerSnapshot>(StringComparer.Ordinal);
        foreach (var chunk in symbols.Distinct(StringComparer.Ordinal).Chunk(MaxTickersPerSnapshot))
        {
            var asked = chunk.ToHashSet(StringComparer.Ordinal);
            var path = $"v2/snapshot/locale/us/markets/stocks/tickers?tickers={string.Join(',', chunk.Select(Escape))}";
            var parsed = await GetAsync(Relative(path), Json.PolygonSnapshotsResponse, ct).ConfigureAwait(false);
            foreach (var t in parsed?.Tickers ?? [])
                if (asked.Contains(t.Ticker)) snapshots[t.Ticker] = t;
        }
        return snapshots;
    }

    /// <summary>The last price a snapshot knows: last trade, else the latest minute, else today's close.</summary>
    public static decimal LastPrice(PolygonTickerSnapshot t) =>
        t.LastTrade?.Price is > 0 ? t.LastTrade.Price : t.Min?.Close is > 0 ? t.Min.Close : t.Day?.Close ?? 0;

    /// <summary>Bars over a date range, every page of it, ascending (<c>/v2/aggs/ticker/{t}/range/…</c>).</summary>
    public async Task<IReadOnlyList<PolygonAggBar>> GetAggregatesAsync(string symbol, int multiplier, string timespan, DateOnly from, DateOnly to, int maxBars, CancellationToken ct)
    {
        var path = $"v2/aggs/ticker/{Escape(symbol)}/range/{multiplier}/{timespan}/{Date(from)}/{Date(to)}?adjusted=true&sort=asc&limit={options.PageSize}";
        var bars = new List<PolygonAggBar>();
        await foreach (var page in PagesAsync(Relative(path), Json.PolygonAggsResponse, r => r.NextUrl, ct).ConfigureAwait(false))
        {
            bars.AddRange(page.Results ?? []);
            if (bars.Count >= maxBars) break;
        }
        return bars.Take(maxBars).ToList();
    }

    /// <summary>Tickers whose symbol or name matches <paramref name="query"/> (<c>/v3/reference/tickers?search=</c>).</summary>
    public async Task<IReadOnlyList<PolygonTickerResult>> SearchTickersAsync(string query, int limit, CancellationToken ct) =>
        (await GetAsync(Relative($"v3/reference/tickers?search={Escape(query)}&active=true&market=stocks&limit={limit}"), Json.PolygonTickersResponse, ct).ConfigureAwait(false))
            ?.Results ?? [];

    /// <summary>Market status now (<c>/v1/marketstatus/now</c>).</summary>
    public async Task<PolygonMarketStatus> GetMarketStatusAsync(CancellationToken ct) =>
        await GetAsync(Relative("v1/marketstatus/now"), Json.PolygonMarketStatus, ct).ConfigureAwait(false)
        ?? throw new PolygonRestException(PolygonFailure.Unavailable, 200, "Polygon returned an empty market status");

    /// <summary>The provider's page limit of the option chain snapshot.</summary>
    public const int MaxChainPageSize = 250;

    /// <summary>
    /// The option chain snapshot of <paramref name="underlying"/> (<c>/v3/snapshot/options/{underlyingAsset}</c>): each
    /// contract with its day, last quote and trade, Greeks, implied volatility and open interest, every page up to
    /// <paramref name="maxContracts"/>; the filters are the provider's own (<c>expiration_date</c>, <c>contract_type</c>,
    /// <c>strike_price.gte</c>, <c>strike_price.lte</c>).
    /// </summary>
    public async Task<IReadOnlyList<PolygonOptionSnapshot>> GetOptionChainAsync(string underlying, DateOnly? expiry, string? type, decimal? strikeMin, decimal? strikeMax,
        int maxContracts, CancellationToken ct)
    {
        var path = $"v3/snapshot/options/{Escape(underlying)}?limit={Math.Min(MaxChainPageSize, options.PageSize)}"
                   + (expiry is { } e ? $"&expiration_date={Date(e)}" : "") + (type is null ? "" : $"&contract_type={Escape(type)}")
                   + (strikeMin is { } min ? $"&strike_price.gte={Number(min)}" : "") + (strikeMax is { } max ? $"&strike_price.lte={Number(max)}" : "");
        var contracts = new List<PolygonOptionSnapshot>();
        await foreach (var page in PagesAsync(Relative(path), Json.PolygonOptionChainResponse, r => r.NextUrl, ct).ConfigureAwait(false))
        {
            contracts.AddRange(page.Results ?? []);
            if (contracts.Count >= maxContracts) break;
        }
        return contracts.Take(maxContracts).ToList();
    }

    /// <summary>
    /// Every expiration date of the options listed on <paramref name="underlying"/>, ascending, from every page of
    /// <c>/v3/reference/options/contracts</c> (up to <c>Limits:MaxProviderPages</c>); only the dates are kept.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetOptionExpirationsAsync(string underlying, CancellationToken ct)
    {
        var path = $"v3/reference/options/contracts?underlying_ticker={Escape(underlying)}&limit={Math.Min(1000, options.PageSize)}&sort=expiration_date&order=asc";
        var expiries = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var page in PagesAsync(Relative(path), Json.PolygonOptionsResponse, r => r.NextUrl, ct).ConfigureAwait(false))
            foreach (var contract in page.Results ?? [])
                if (contract.ExpirationDate is { Length: > 0 } date) expiries.Add(date);
        return expiries.ToList();
    }

    /// <summary>
    /// Relays a Polygon REST request (a vetted path and query, without any key) and returns Polygon's status and body as
    /// they are, for the Polygon-compatible façade. Only network failures (<see cref="PolygonFailure.Unavailable"/>) and a
    /// spent provider budget (<see cref="PolygonFailure.Busy"/>) throw.
    /// </summary>
    public async Task<(int Status, string Body)> ForwardAsync(string pathAndQuery, CancellationToken ct)
    {
        using var request = Request(Relative(pathAndQuery.TrimStart('/')));
        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        }
        catch (ProviderBusyException e)
        {
            throw PolygonRestException.Busy(e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PolygonRestException(PolygonFailure.Unavailable, 0, $"Polygon is unreachable ({Describe(e)})", e);
        }
    }

    private async IAsyncEnumerable<T> PagesAsync<T>(Uri first, JsonTypeInfo<T> type, Func<T, string?> next,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct) where T : class
    {
        var url = first;
        for (var page = 0; page < options.MaxProviderPages && url is not null; page++)
        {
            var body = await GetAsync(url, type, ct).ConfigureAwait(false);
            if (body is null) yield break;
            yield return body;
            url = next(body) is { Length: > 0 } nextUrl ? SameOrigin(nextUrl) : null;
        }
    }

    /// <summary>Follows <c>next_url</c> only on the configured REST origin, so the key is never sent anywhere else.</summary>
    private Uri? SameOrigin(string nextUrl)
    {
        var baseUri = options.RestBaseUri();
        if (!Uri.TryCreate(nextUrl, UriKind.Absolute, out var uri)) return null;
        return Uri.Compare(uri, baseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 ? uri : null;
    }

    private async Task<T?> GetAsync<T>(Uri url, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        var what = url.AbsolutePath;
        using var request = Request(url);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (ProviderBusyException e)
        {
            throw PolygonRestException.Busy(e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PolygonRestException(PolygonFailure.Unavailable, 0, $"Polygon is unreachable ({Describe(e)}) for {what}", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                try
                {
                    return await JsonSerializer.DeserializeAsync(body, type, ct).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    throw new PolygonRestException(PolygonFailure.Unavailable, (int)response.StatusCode, $"Polygon sent an unreadable body for {what}", e);
                }
            }
            throw await FailureAsync(response, what, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A GET with the key in <c>Authorization</c> and the <see cref="Caller"/> for the provider budget.</summary>
    private HttpRequestMessage Request(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(options.ApiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        request.Options.Set(ProviderCaller.Option, Caller);
        return request;
    }

    private async Task<PolygonRestException> FailureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        PolygonErrorBody? error = null;
        try { error = await response.Content.ReadFromJsonAsync(Json.PolygonErrorBody, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException) { }
        var said = Scrub(error?.Error ?? error?.Message ?? response.ReasonPhrase ?? "no detail");
        var failure = response.StatusCode switch
        {
            HttpStatusCode.NotFound => PolygonFailure.NotFound,
            HttpStatusCode.BadRequest => PolygonFailure.BadRequest,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => PolygonFailure.Refused,
            _ => PolygonFailure.Unavailable,
        };
        var cause = failure == PolygonFailure.Refused ? $"Polygon refused the key or plan ({error?.Status ?? status.ToString(CultureInfo.InvariantCulture)}: {said})" : $"Polygon answered {status}: {said}";
        return new PolygonRestException(failure, status, $"{cause} for {what}");
    }

    /// <summary>Polygon's own texts never carry the key, but make sure.</summary>
    private string Scrub(string text) => options.ApiKey is { Length: >= 8 } key ? text.Replace(key, "***", StringComparison.Ordinal) : text;

    private static string Describe(Exception e) => e switch
    {
        BrokenCircuitException => "circuit open after repeated failures",
        TimeoutRejectedException or TaskCanceledException => "timed out",
        HttpRequestException h => h.HttpRequestError.ToString(),
        _ => e.GetType().Name,
    };

    private Uri Relative(string pathAndQuery) => new(options.RestBaseUri(), pathAndQuery);
    private static string Escape(string value) => Uri.EscapeDataString(value);
    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
