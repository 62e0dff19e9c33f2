using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Contracts;
using Quotes.Host.Facade;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 4: the façade's REST relay (<c>/polygon/{path}</c>) spends the key's <c>/api</c> rate budget, passes
/// on only each path's own parameters (never the client's key, whatever its letter case), caches within bounds, and
/// stores <c>next_url</c> already rewritten, one entry for every public host.
/// </summary>
public sealed class FacadeRelaySpecs : IAsyncLifetime
{
    private const string OtherKey = "another-client-key";
    private const long CacheBytes = 16 * 1024;
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1"] = OtherKey,
        ["Api:RateLimit:Burst"] = "30",
        ["Api:RateLimit:PermitsPerSecond"] = "1",
        ["Limits:RestCacheBytes"] = CacheBytes.ToString(),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null) request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_relay_spends_the_keys_api_budget_and_past_it_answers_429_in_Polygons_shape_while_other_keys_go_on()
    {
        using var http = _server.CreateHttpClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++) answers.Add(await http.GetAsync($"/polygon/v1/marketstatus/now?apiKey={QuotesServer.ClientKey}"));

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 1, 10 + 1 * 5); // 30 at once plus about one a second
        Assert.All(limited, a => Assert.NotNull(a.Headers.RetryAfter));
        using (var body = JsonDocument.Parse(await limited[0].Content.ReadAsStringAsync()))
        {
            Assert.Equal("ERROR", body.RootElement.GetProperty("status").GetString());
            Assert.True(body.RootElement.TryGetProperty("error", out _));
        }
        // The same bucket as /api: that key is limited there too; another key is not limited anywhere.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/polygon/v1/marketstatus/now?apiKey={OtherKey}")).StatusCode);
        foreach (var answer in answers) answer.Dispose();
    }

    [Fact]
    public async Task Only_each_paths_own_parameters_reach_the_provider_and_the_key_never_does_whatever_its_case()
    {
        using var http = _server.CreateHttpClient();
        var before = Market.RestCalls("/v3/reference/tickers");

        var plain = await GetAsync(http, $"/polygon/v3/reference/tickers?search=micro&limit=3&apiKey={OtherKey}");
        // The same request with junk parameters and the key in other letter cases: the same cache entry, nothing new upstream.
        var junk = await GetAsync(http, $"/polygon/v3/reference/tickers?limit=3&search=micro&bust=1&x{Guid.NewGuid():N}=2&APIKEY={OtherKey}");
        var mixed = await GetAsync(http, $"/polygon/v3/reference/tickers?search=micro&ApiKey={OtherKey}&limit=3&zzz=3");

        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal(SameId(plain.Body), SameId(junk.Body)); // each answer has a request_id of its own
        Assert.Equal(SameId(plain.Body), SameId(mixed.Body));
        Assert.Equal(1, Market.RestCalls("/v3/reference/tickers") - before);
        Assert.Contains(Market.RestQueries, q => q.Contains("search=micro"));
        Assert.DoesNotContain(Market.RestQueries, q => q.Contains(OtherKey) || q.Contains("bust") || q.Contains("zzz"));
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(http, $"/polygon/v3/reference/tickers?search=a&search=b&apiKey={OtherKey}")).Status);
    }

    [Fact]
    public async Task Aggregates_are_relayed_in_pages_of_at_most_5000_bars_and_next_url_gives_the_rest()
    {
        // Found from outside: limit=50000 relayed 4.7 MB a request, and one key asking once a second stalled the node.
        using var http = _server.CreateHttpClient();
        const string Range = "v2/aggs/ticker/AAPL/range/1/minute/2025-01-01/2025-12-31";

        var big = await GetAsync(http, $"/polygon/{Range}?limit=50000&apiKey={OtherKey}");
        var small = await GetAsync(http, $"/polygon/{Range}?limit=7&apiKey={OtherKey}");

        Assert.Equal(HttpStatusCode.OK, big.Status);
        using (var page = JsonDocument.Parse(big.Body))
        {
            Assert.Equal(PolygonRestFacade.MaxAggregatesPerPage, page.RootElement.GetProperty("results").GetArrayLength());
            Assert.Contains("/polygon/v2/aggs/ticker/AAPL/range/1/minute/", page.RootElement.GetProperty("next_url").GetString());
        }
        Assert.Contains(Market.RestQueries, q => q.Contains("limit=5000") && !q.Contains("limit=50000"));
        Assert.DoesNotContain(Market.RestQueries, q => q.Contains("limit=50000"));
        using (var page = JsonDocument.Parse(small.Body)) Assert.Equal(7, page.RootElement.GetProperty("results").GetArrayLength());

        // A cursor made up to ask for more (the provider's cursors carry the next page's query, limit included).
        var madeUp = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("offset=0&limit=50000")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var crafted = await GetAsync(http, $"/polygon/{Range}?cursor={madeUp}&apiKey={OtherKey}");
        Assert.Equal(HttpStatusCode.OK, crafted.Status);
        using (var page = JsonDocument.Parse(crafted.Body))
            Assert.Equal(PolygonRestFacade.MaxAggregatesPerPage, page.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Grouped_daily_bars_are_relayed_with_their_own_parameters_only()
    {
        using var http = _server.CreateHttpClient();
        var day = MarketCalendar.PreviousTradingDay(DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = $"/v2/aggs/grouped/locale/us/market/stocks/{day}";

        var (status, body) = await GetAsync(http, $"/polygon{path}?include_otc=false&adjusted=true&grouped_bust=1&apiKey={OtherKey}");
        var (notADate, refusal) = await GetAsync(http, $"/polygon/v2/aggs/grouped/locale/us/market/stocks/latest?apiKey={OtherKey}");

        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse(body))
            Assert.Equal(ReferenceTickers.All.Count, doc.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(1, Market.RestCalls(path));
        Assert.Contains(Market.RestQueries, q => q.Contains("adjusted=true&include_otc=false"));
        Assert.DoesNotContain(Market.RestQueries, q => q.Contains("grouped_bust"));
        // Not a date: the provider's own 400 comes back (a 404 said the path does not exist, which Polygon does not say).
        Assert.Equal(HttpStatusCode.BadRequest, notADate);
        using (var doc = JsonDocument.Parse(refusal))
            Assert.Equal("ERROR", doc.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/v2/aggs/ticker/AAPL/range/1/day/notadate/2026-11-20")]
    [InlineData("/v2/aggs/ticker/AAPL/range/abc/day/2026-11-02/2026-11-20")]
    [InlineData("/v2/aggs/ticker/AAPL/range/1/fortnight/2026-11-02/2026-11-20")]
    [InlineData("/v2/aggs/ticker/AAPL/range/1/day/2026-11-02/2026-11-20?sort=sideways")]
    public async Task A_malformed_range_gets_the_providers_400_not_a_404(string pathAndQuery)
    {
        // Found from outside: a malformed date, multiplier or timespan got 404 "Not found." while one out of range (month 13,
        // multiplier 0) got Polygon's 400: one kind of mistake, two answers.
        using var http = _server.CreateHttpClient();
        var join = pathAndQuery.Contains('?') ? '&' : '?';

        var (status, body) = await GetAsync(http, $"/polygon{pathAndQuery}{join}apiKey={OtherKey}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("ERROR", doc.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Distinct_requests_never_grow_the_cache_past_its_bound_and_every_one_is_answered()
    {
        using var http = _server.CreateHttpClient();
        var memory = (MemoryCache)_server.Services.GetRequiredService<IMemoryCache>();

        var answers = new List<HttpStatusCode>();
        foreach (var q in new[] { "a", "b", "c", "d", "e", "g", "h", "i", "l", "m", "n", "o", "p", "r", "s", "t" })
            answers.Add((await GetAsync(http, $"/polygon/v3/reference/tickers?search={q}&limit=50&apiKey={OtherKey}")).Status);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        var stats = memory.GetCurrentStatistics()!;
        Assert.InRange(stats.CurrentEstimatedSize!.Value, 1, CacheBytes);
        // The bound is what holds: these answers together are larger than it.
        Assert.True(stats.TotalMisses > stats.CurrentEntryCount, $"{stats.CurrentEntryCount} entries after {stats.TotalMisses} misses");

        // Still a cache: a repeated request is answered from it.
        var before = Market.RestCalls("/v1/marketstatus/now");
        await GetAsync(http, $"/polygon/v1/marketstatus/now?apiKey={OtherKey}");
        await GetAsync(http, $"/polygon/v1/marketstatus/now?apiKey={OtherKey}");
        Assert.Equal(1, Market.RestCalls("/v1/marketstatus/now") - before);

        // And so is the REST API's, whose values are kept as objects rather than bytes.
        var searches = Market.RestCalls("/v3/reference/tickers");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, $"/api/market/search?q=cached&apiKey={OtherKey}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, $"/api/market/search?q=cached&apiKey={OtherKey}")).Status);
        Assert.Equal(1, Market.RestCalls("/v3/reference/tickers") - searches);
    }

    [Fact]
    public async Task One_cache_entry_serves_every_Host_and_each_request_gets_next_url_on_its_own_public_base()
    {
        using var http = _server.CreateHttpClient();
        const string Path = "v3/reference/tickers?limit=2&search=a";
        var ourBase = $"http://{_server.BaseUrl.Authority}/polygon";
        var calls = Market.RestCalls("/v3/reference/tickers");

        var forged = await GetAsync(http, $"/polygon/{Path}&apiKey={OtherKey}", host: "attacker.example");
        var honest = await GetAsync(http, $"/polygon/{Path}&apiKey={OtherKey}");
        // A proxy on loopback (trusted by default) forwarding the public scheme and host.
        using var proxied = new HttpRequestMessage(HttpMethod.Get, $"/polygon/{Path}&apiKey={OtherKey}");
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        proxied.Headers.Add("X-Forwarded-Host", "quotes.example.com");
        using var proxiedResponse = await http.SendAsync(proxied);
        var viaProxy = await proxiedResponse.Content.ReadAsStringAsync();

        // The provider is asked once, whatever the Host: forged hosts add no entries and push out no honest ones.
        Assert.Equal(1, Market.RestCalls("/v3/reference/tickers") - calls);
        Assert.StartsWith("http://attacker.example/polygon/v3/reference/tickers?cursor=", NextUrl(forged.Body));
        Assert.StartsWith(ourBase + "/v3/reference/tickers?cursor=", NextUrl(honest.Body));
        Assert.StartsWith("https://quotes.example.com/polygon/v3/reference/tickers?cursor=", NextUrl(viaProxy));

        // The entry holds the rewritten body with no host in it: rewritten once, only the base is added per request.
        var cached = await _server.Services.GetRequiredService<HybridCache>().GetOrCreateAsync<string>(
            PolygonRestFacade.CacheKey(Path), _ => throw new InvalidOperationException("not cached"));
        Assert.Equal(SameId(honest.Body), SameId(PolygonRestFacade.Served(cached, ourBase)));
        Assert.DoesNotContain("attacker.example", cached);
        Assert.DoesNotContain(_server.BaseUrl.Authority, cached);

        // Following it works and pages on.
        var second = await GetAsync(http, NextUrl(honest.Body)[ourBase.Length..].Insert(0, "/polygon") + $"&apiKey={OtherKey}");
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotEqual(honest.Body, second.Body);
    }

    private static string NextUrl(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("next_url").GetString()!;
    }

    /// <summary>A body with its request_id set to one value: two answers of one cache entry differ in nothing else.</summary>
    private static string SameId(string body) => PolygonRestFacade.WithRequestId(body, "same");
}
