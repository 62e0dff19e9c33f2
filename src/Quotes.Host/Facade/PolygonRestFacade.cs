using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Quotes.Actors.Fanout;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts.Polygon;
using Quotes.Host.Api;
using Quotes.Host.Auth;

namespace Quotes.Host.Facade;

/// <summary>
/// Polygon's REST paths under <c>/polygon</c>, for existing Polygon programs: the key as <c>apiKey</c> or
/// <c>Authorization: Bearer</c> (an AkkaQuotes client key), Polygon's bodies and errors, answered through the shared
/// cache (one upstream call per burst), <c>next_url</c> rewritten to come back here. Only the listed paths and their
/// listed query parameters are relayed: this is no open proxy. The per-key rate limit of <c>/api</c> applies; the provider
/// budget (<c>Polygon:MaxRequestsPerSecond</c>) is shared with everything else on the node, each key within its share.
/// </summary>
public static class PolygonRestFacade
{
    private const string Ticker = @"[A-Z][A-Za-z0-9.\-]{0,11}";

    /// <summary>A path segment of a date, a multiplier or a timespan as a client may have mistyped it: letters, digits, dashes.</summary>
    private const string Segment = @"[A-Za-z0-9\-]{1,13}";

    /// <summary>
    /// Longest query string relayed by default (<c>Limits:MaxFacadeQueryLength</c>; the allowed parameters' values are short):
    /// a bound on cache keys too, so never more than <see cref="MaxQueryLengthCeiling"/>.
    /// </summary>
    public const int DefaultMaxQueryLength = 512;

    /// <summary>Under HybridCache's key limit (1,024 characters) with room for the path and the public base.</summary>
    public const int MaxQueryLengthCeiling = 768;

    private static readonly string[] Range = ["", ".gt", ".gte", ".lt", ".lte"];
    private static readonly string[] Paging = ["order", "limit", "sort", "cursor"];

    /// <summary>
    /// The relayed paths, how long each answer is cached, and the query parameters each one passes on (Polygon's own for
    /// that path). Any other parameter is dropped, as Polygon ignores what it does not know: so no parameter (a client's
    /// <c>apiKey</c> in any letter case included) reaches the provider or the cache key unless it is listed here.
    /// </summary>
    private static readonly (Regex Path, TimeSpan Cache, HashSet<string> Parameters, int? MaxLimit)[] Allowed =
    [
        (new Regex($"^v2/aggs/ticker/{Ticker}/prev$"), TimeSpan.FromSeconds(1), Set("adjusted"), null),
        // A malformed date, multiplier or timespan in the next two is relayed too: the provider answers it with its 400.
        // Every ticker's bar of one day: a few MB from the real provider, so past Limits:RestCacheEntryBytes it is relayed, not cached.
        (new Regex($@"^v2/aggs/grouped/locale/us/market/stocks/{Segment}$"), TimeSpan.FromMinutes(1), Set("adjusted", "include_otc"), null),
        // Polygon takes up to 50,000 bars a page (4.7 MB): one key asking for that once a second cost the node seconds of
        // stalls (an outside audit). Pages of at most MaxAggregatesPerPage; the answer's next_url gives the rest.
        (new Regex($@"^v2/aggs/ticker/{Ticker}/range/{Segment}/{Segment}/{Segment}/{Segment}$"), TimeSpan.FromMinutes(1),
            Set(["adjusted", "sort", "limit", "cursor"]), MaxAggregatesPerPage),
        (new Regex($"^v2/snapshot/locale/us/markets/stocks/tickers/{Ticker}$"), TimeSpan.FromSeconds(1), Set(), null),
        (new Regex("^v3/reference/tickers$"), TimeSpan.FromMinutes(5),
            Set([.. Range.Select(r => "ticker" + r), "type", "market", "exchange", "cusip", "cik", "date", "search", "active", .. Paging]), null),
        (new Regex("^v1/marketstatus/now$"), TimeSpan.FromSeconds(1), Set(), null),
        (new Regex("^v3/reference/options/contracts$"), TimeSpan.FromMinutes(1),
            Set([.. Range.Select(r => "underlying_ticker" + r), "ticker", "contract_type", .. Range.Select(r => "expiration_date" + r), "as_of",
                .. Range.Select(r => "strike_price" + r), "expired", .. Paging]), null),
        (new Regex($"^v3/snapshot/options/{Ticker}$"), TimeSpan.FromSeconds(1),
            Set([.. Range.Select(r => "expiration_date" + r), "contract_type", .. Range.Select(r => "strike_price" + r), .. Paging]), null),
        // One contract's snapshot: an OCC ticker, O:ROOT (1 to 10 letters or digits: adjusted roots such as AMC1 have digits) YYMMDD C|P strike × 1000 in eight digits.
        (new Regex($@"^v3/snapshot/options/{Ticker}/O:[A-Z0-9]{{1,10}}\d{{6}}[CP]\d{{8}}$"), TimeSpan.FromSeconds(1), Set(), null),
    ];

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

    /// <summary>The most aggregate bars relayed in one page (Polygon's default page; its maximum is 50,000).</summary>
    public const int MaxAggregatesPerPage = 5_000;

    public static IEndpointRouteBuilder MapPolygonRestFacade(this IEndpointRouteBuilder app)
    {
        var maxQuery = app.ServiceProvider.GetRequiredService<IOptions<FacadeLimitOptions>>().Value.MaxFacadeQueryLength;
        var feed = app.ServiceProvider.GetRequiredService<NodeStatus>();
        var metrics = app.ServiceProvider.GetRequiredService<QuotesMetrics>();
        var limits = new RelayLimits(maxQuery);
        // The same per-key budget as /api: a key spends one bucket whichever of the two it calls.
        app.MapGet("/polygon/{**path}", (string path, HttpContext context, PolygonRestClient polygon, BoundedCache cache, ILoggerFactory loggers) =>
                ForwardAsync(path, context, polygon, cache, loggers, metrics, limits))
            .RequireAuthorization(QuotesAuth.ClientPolicy) // refusals in Polygon's shape (AuthRefusals)
            .RequirePerKeyRateLimit().ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                // On a simulated feed the relay marks its answers as the simulator does: a server fed by this one knows.
                if (feed.Feed == NodeStatus.SimulatorFeed) context.HttpContext.Response.Headers[PolygonStatus.SimulatedHeader] = "true";
                return result;
            });
        return app;
    }

    /// <param name="MaxQuery">Longest query string relayed (<c>Limits:MaxFacadeQueryLength</c>).</param>
    private sealed record RelayLimits(int MaxQuery);

    /// <summary>
    /// The query the provider sees for <paramref name="query"/> on a path allowing <paramref name="allowed"/>: listed parameters
    /// only, in a fixed order (one cache entry per distinct request), with a <c>limit</c> above <paramref name="maxLimit"/>
    /// lowered to it, in the query or in a <c>cursor</c> (<see cref="PageCap"/>); null when a parameter is given more than once.
    /// </summary>
    public static string? RelayedQuery(IQueryCollection query, IReadOnlySet<string> allowed, int? maxLimit = null)
    {
        if (query.Any(q => allowed.Contains(q.Key) && q.Value.Count > 1)) return null;
        return string.Join("&", query.Where(q => allowed.Contains(q.Key))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(maxLimit is { } max ? PageCap.Apply(q.Key, q.Value.ToString(), max) : q.Value.ToString())}"));
    }

    /// <summary>
    /// The cache entry of a relayed request: the provider's path and query alone, whatever the <c>Host</c> (the entry keeps
    /// <c>next_url</c> host-neutral; each answer gets its own request's public base), so forged hosts neither add entries
    /// nor push out honest ones.
    /// </summary>
    public static string CacheKey(string target) => $"polygon:{target}";

    private const int NoNextUrl = -1;

    /// <summary>
    /// The answer a cache entry (<see cref="RewriteNextUrl"/>'s form: where the public base goes, a colon, the body) gives the
    /// request made through <paramref name="ourBase"/>: that base inserted into <c>next_url</c>, no parse per hit, and no host
    /// of one request ever in another's answer. Kept as a string, so that the cache charges its length against its bound.
    /// </summary>
    public static string Served(string cached, string ourBase)
    {
        var colon = cached.IndexOf(':', StringComparison.Ordinal);
        var at = int.Parse(cached.AsSpan(0, colon), CultureInfo.InvariantCulture);
        var body = cached.AsSpan(colon + 1);
        return at == NoNextUrl ? body.ToString() : string.Concat(body[..at], JsonEncodedText.Encode(ourBase).Value, body[at..]);
    }

    /// <summary>An answer relayed to this caller alone, never cached: an error, or a success too large for a cache entry.</summary>
    private sealed class UpstreamAnswer(int status, string body) : Exception
    {
        public int Status { get; } = status;
        public string Body { get; } = body;
    }

    private static async Task<IResult> ForwardAsync(string path, HttpContext context, PolygonRestClient polygon, BoundedCache cache, ILoggerFactory loggers,
        QuotesMetrics metrics, RelayLimits limits)
    {
        var request = context.Request;
        var rule = Allowed.FirstOrDefault(a => a.Path.IsMatch(path));
        if (rule.Path is null) return Error(404, "NOT_FOUND", "Not found.");
        if (request.QueryString.Value?.Length > limits.MaxQuery) return Error(400, "ERROR", "The query string is too long.");
        if (RelayedQuery(request.Query, rule.Parameters, rule.MaxLimit) is not { } query) return Error(400, "ERROR", "A query parameter was given more than once.");
        var target = query.Length == 0 ? path : $"{path}?{query}";
        var ourBase = $"{request.Scheme}://{request.Host}{request.PathBase}/polygon";

        string cached;
        bool missed;
        try
        {
            (cached, missed) = await cache.GetOrCreateAsync("relay", CacheKey(target), (polygon: polygon.As(RateLimits.CallerOf(context)), target), static async (s, ct) =>
            {
                var (status, text) = await s.polygon.ForwardAsync(s.target, ct);
                // Only successes are cached (with next_url already ours, if they fit an entry); anything else is relayed to this caller alone.
                return status is >= 200 and < 300 ? RewriteNextUrl(text) : throw new UpstreamAnswer(status, text);
            }, static text => Encoding.UTF8.GetByteCount(text), new HybridCacheEntryOptions { Expiration = rule.Cache, LocalCacheExpiration = rule.Cache },
                context.RequestAborted);
        }
        catch (UpstreamAnswer answer) when (answer.Status is 401 or 403)
        {
            loggers.CreateLogger("Quotes.Polygon").LogWarning("Polygon refused this server's key or plan for {Path} ({Status})", path, answer.Status);
            return Error(502, "ERROR", "The upstream market-data provider refused this server's key or plan for this data.");
        }
        catch (UpstreamAnswer answer) when (answer.Status is >= 400 and < 500 and not 429)
        {
            return Results.Text(answer.Body, "application/json", Encoding.UTF8, answer.Status);
        }
        catch (UpstreamAnswer)
        {
            return new ApiErrors.WithRetryAfter(Error(503, "ERROR", "The upstream market-data provider is unavailable; retry shortly."), TimeSpan.FromSeconds(1));
        }
        catch (PolygonRestException e) when (e.Failure == PolygonFailure.KeyShare)
        {
            metrics.RestRateLimited(RateLimits.RouteOf(context));
            return new ApiErrors.WithRetryAfter(Error(429, "ERROR",
                $"You've exceeded this key's share of the server's upstream requests; retry after {ApiErrors.Seconds(e.RetryAfter)} s."), e.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (PolygonRestException e) when (e.Failure == PolygonFailure.Simulated)
        {
            return Error(502, "ERROR", "The upstream market-data provider's answer is simulated and this server serves real market data only.");
        }
        catch (PolygonRestException e) when (e.Failure == PolygonFailure.Busy)
        {
            return new ApiErrors.WithRetryAfter(Error(503, "ERROR",
                $"This server's budget of upstream requests is spent for now; retry after {ApiErrors.Seconds(e.RetryAfter)} s."), e.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (PolygonRestException)
        {
            return new ApiErrors.WithRetryAfter(Error(503, "ERROR", "The upstream market-data provider is unreachable; retry shortly."), TimeSpan.FromSeconds(1));
        }

        // The provider's request_id names its answer to one request: an answer served again from the cache gets its own.
        var served = Served(cached, ourBase);
        return Results.Text(missed ? served : WithRequestId(served, Guid.NewGuid().ToString("N")), "application/json", Encoding.UTF8);
    }

    /// <summary>
    /// <paramref name="body"/> with its <c>request_id</c> set to <paramref name="requestId"/>: Polygon's bodies carry it once, at
    /// their root (a key in a string value would be escaped, so the first unescaped one is the root's); unchanged without one.
    /// </summary>
    public static string WithRequestId(string body, string requestId)
    {
        const string Property = "\"request_id\":\"";
        var at = body.IndexOf(Property, StringComparison.Ordinal);
        if (at < 0) return body;
        var start = at + Property.Length;
        var end = body.IndexOf('"', start);
        return end < 0 ? body : string.Concat(body.AsSpan(0, start), requestId, body.AsSpan(end));
    }

    /// <summary>
    /// The cache entry of a provider's answer (see <see cref="Served"/>): the root's <c>next_url</c> pointed back at this
    /// server's path, keeping Polygon's <c>?cursor=</c> form (official clients append <c>&amp;apiKey=</c>), and where in the
    /// text each request's public base goes. Found with a reader that skips every other value, not a parsed tree: an answer
    /// of 50,000 bars is 4.7 MB, and a tree of it cost 130-380 ms of CPU and a heap of garbage per request, enough
    /// for one key sending one such request a second to stall every client of the node (an outside audit).
    /// </summary>
    public static string RewriteNextUrl(string body)
    {
        var unchanged = $"{NoNextUrl}:{body}";
        if (!body.Contains("\"next_url\"", StringComparison.Ordinal)) return unchanged;
        var utf8 = Encoding.UTF8.GetBytes(body);
        if (RootNextUrl(utf8) is not { } found || !Uri.TryCreate(found.Value, UriKind.Absolute, out var upstream)) return unchanged;
        var from = Encoding.UTF8.GetCharCount(utf8.AsSpan(0, found.Start));
        var to = from + Encoding.UTF8.GetCharCount(utf8.AsSpan(found.Start, found.End - found.Start));
        return string.Concat($"{from}:", body.AsSpan(0, from), JsonEncodedText.Encode(upstream.PathAndQuery).Value, body.AsSpan(to));
    }

    /// <summary>Where the root object's <c>next_url</c> string lies in <paramref name="utf8"/> (between its quotes), and its value; null without one.</summary>
    private static (int Start, int End, string Value)? RootNextUrl(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isNextUrl = reader.ValueTextEquals("next_url"u8);
                reader.Read();
                if (isNextUrl)
                {
                    if (reader.TokenType != JsonTokenType.String) return null;
                    var start = (int)reader.TokenStartIndex + 1; // after the opening quote
                    return (start, start + reader.ValueSpan.Length, reader.GetString()!);
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: relayed as it came.
        }
        return null;
    }

    /// <summary>An error in Polygon's shape (<see cref="PolygonErrorBody"/>).</summary>
    public static IResult Error(int status, string kind, string text) =>
        Results.Text(PolygonErrorBody.Write(kind, text), "application/json", Encoding.UTF8, status);
}
