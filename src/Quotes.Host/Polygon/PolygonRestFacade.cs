using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Hybrid;
using Quotes.Actors.Polygon;
using Quotes.Host.Api;
using Quotes.Host.Auth;

namespace Quotes.Host.Polygon;

/// <summary>
/// Polygon's REST paths under <c>/polygon</c>, for existing Polygon programs: the key as <c>apiKey</c> or
/// <c>Authorization: Bearer</c> (an AkkaQuotes client key), Polygon's bodies and errors, answered through the shared
/// cache (one upstream call per burst), <c>next_url</c> rewritten to come back here. Only the listed paths are relayed:
/// this is no open proxy.
/// </summary>
public static class PolygonRestFacade
{
    private const string Ticker = @"[A-Z][A-Za-z0-9.\-]{0,11}";

    private static readonly (Regex Path, TimeSpan Cache)[] Allowed =
    [
        (new Regex($"^v2/aggs/ticker/{Ticker}/prev$"), TimeSpan.FromSeconds(1)),
        (new Regex($@"^v2/aggs/ticker/{Ticker}/range/\d{{1,4}}/(second|minute|hour|day|week|month|quarter|year)/[0-9\-]{{1,13}}/[0-9\-]{{1,13}}$"), TimeSpan.FromMinutes(1)),
        (new Regex($"^v2/snapshot/locale/us/markets/stocks/tickers/{Ticker}$"), TimeSpan.FromSeconds(1)),
        (new Regex("^v3/reference/tickers$"), TimeSpan.FromMinutes(5)),
        (new Regex("^v1/marketstatus/now$"), TimeSpan.FromSeconds(1)),
        (new Regex("^v3/reference/options/contracts$"), TimeSpan.FromMinutes(1)),
    ];

    public static IEndpointRouteBuilder MapPolygonRestFacade(this IEndpointRouteBuilder app)
    {
        app.MapGet("/polygon/{**path}", ForwardAsync).ExcludeFromDescription();
        return app;
    }

    private sealed class UpstreamAnswer(int status, string body) : Exception
    {
        public int Status { get; } = status;
        public string Body { get; } = body;
    }

    private static async Task<IResult> ForwardAsync(string path, HttpContext context, ApiKeyValidator keys, PolygonRestClient polygon, HybridCache cache, ILoggerFactory loggers)
    {
        var request = context.Request;
        var key = ApiKeyValidator.KeyOf(request);
        if (string.IsNullOrEmpty(key)) return Error(401, "ERROR", "error", "API Key was not provided");
        if (!keys.IsValid(key)) return Error(401, "ERROR", "error", "Unknown API Key");

        var rule = Allowed.FirstOrDefault(a => a.Path.IsMatch(path));
        if (rule.Path is null) return Error(404, "NOT_FOUND", "message", "Not found.");
        var query = string.Join("&", request.Query.Where(q => q.Key != "apiKey")
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}")));
        if (query.Length > 2048) return Error(400, "ERROR", "error", "The query string is too long.");
        var target = query.Length == 0 ? path : $"{path}?{query}";

        string body;
        try
        {
            body = await cache.GetOrCreateAsync("polygon:" + target, (polygon, target), static async (s, ct) =>
            {
                var (status, text) = await s.polygon.ForwardAsync(s.target, ct);
                // Only successes are cached; anything else is relayed to this caller alone.
                return status is >= 200 and < 300 ? text : throw new UpstreamAnswer(status, text);
            }, new HybridCacheEntryOptions { Expiration = rule.Cache, LocalCacheExpiration = rule.Cache }, cancellationToken: context.RequestAborted);
        }
        catch (UpstreamAnswer answer) when (answer.Status is 401 or 403)
        {
            loggers.CreateLogger("Quotes.Polygon").LogWarning("Polygon refused this server's key or plan for {Path} ({Status})", path, answer.Status);
            return Error(502, "ERROR", "error", "The upstream market-data provider refused this server's key or plan for this data.");
        }
        catch (UpstreamAnswer answer) when (answer.Status is >= 400 and < 500 and not 429)
        {
            return Results.Text(answer.Body, "application/json", Encoding.UTF8, answer.Status);
        }
        catch (UpstreamAnswer)
        {
            return new ApiErrors.WithRetryAfter(Error(503, "ERROR", "error", "The upstream market-data provider is unavailable; retry shortly."), TimeSpan.FromSeconds(1));
        }
        catch (PolygonRestException e) when (e.Failure == PolygonFailure.Busy)
        {
            return new ApiErrors.WithRetryAfter(Error(503, "ERROR", "error",
                $"This server's budget of upstream requests is spent for now; retry after {ApiErrors.Seconds(e.RetryAfter)} s."), e.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (PolygonRestException)
        {
            return new ApiErrors.WithRetryAfter(Error(503, "ERROR", "error", "The upstream market-data provider is unreachable; retry shortly."), TimeSpan.FromSeconds(1));
        }

        return Results.Text(RewriteNextUrl(body, $"{request.Scheme}://{request.Host}{request.PathBase}/polygon"), "application/json", Encoding.UTF8);
    }

    /// <summary>Points <c>next_url</c> back at this server, keeping Polygon's <c>?cursor=</c> form (official clients append <c>&amp;apiKey=</c>).</summary>
    public static string RewriteNextUrl(string body, string ourBase)
    {
        if (!body.Contains("\"next_url\"", StringComparison.Ordinal)) return body;
        var json = JsonNode.Parse(body);
        if (json is not JsonObject root || root["next_url"]?.GetValue<string>() is not { } next || !Uri.TryCreate(next, UriKind.Absolute, out var upstream)) return body;
        root["next_url"] = ourBase + upstream.PathAndQuery;
        return root.ToJsonString();
    }

    private static IResult Error(int status, string kind, string field, string text) =>
        Results.Text(new JsonObject { ["status"] = kind, ["request_id"] = Guid.NewGuid().ToString("N"), [field] = text }.ToJsonString(), "application/json", Encoding.UTF8, status);
}
