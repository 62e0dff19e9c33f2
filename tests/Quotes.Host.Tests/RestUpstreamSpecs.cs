using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>The REST API under upstream trouble: stampedes, transient errors, refusals, outages, floods.</summary>
public sealed class RestUpstreamSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Api:RateLimit:Burst"] = "1000",
        ["Api:RateLimit:PermitsPerSecond"] = "1000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    /// <summary>The full-market snapshot, through which REST reads of symbols nobody streams go, batched.</summary>
    private const string SnapshotsPath = "/v2/snapshot/locale/us/markets/stocks/tickers";

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    [Fact]
    public async Task A_hundred_concurrent_identical_requests_make_one_upstream_call()
    {
        using var http = _server.CreateHttpClient();
        Market.Faults.RestDelay = TimeSpan.FromMilliseconds(300); // the first call is still in flight when the others arrive

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => GetAsync(http, "/api/market/quote/NFLX")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Equal("snapshot", a.Body.GetProperty("data").GetProperty("source").GetString()));
        Assert.Equal(1, Market.RestCalls(SnapshotsPath));
        Assert.Equal(0, Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers/NFLX"));
    }

    [Fact]
    public async Task A_transient_503_is_retried_and_the_caller_never_sees_it()
    {
        using var http = _server.CreateHttpClient();
        Market.Faults.FailNextRestRequests(2, 503, "/v2/snapshot/");

        var (status, body) = await GetAsync(http, "/api/market/quote/DIS");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("snapshot", body.GetProperty("data").GetProperty("source").GetString());
        Assert.Equal(3, Market.RestCalls(SnapshotsPath));
    }

    [Fact]
    public async Task A_snapshot_the_plan_lacks_falls_back_to_the_previous_close()
    {
        using var http = _server.CreateHttpClient();
        Market.Faults.FailNextRestRequests(100, 403, "/v2/snapshot/");

        var (status, body) = await GetAsync(http, "/api/market/quote/WMT");

        Assert.Equal(HttpStatusCode.OK, status);
        var quote = body.GetProperty("data");
        Assert.Equal("previous-close", quote.GetProperty("source").GetString());
        Assert.Equal(Market.Walk("WMT").PreviousClose, quote.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task A_refused_key_or_plan_is_502_naming_the_cause_but_not_the_key()
    {
        using var http = _server.CreateHttpClient();
        Market.Faults.FailNextRestRequests(1000, 401, "/v");

        var (status, body) = await GetAsync(http, "/api/market/historical/T?from=2026-01-05&to=2026-01-09");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(ErrorCodes.UpstreamError, body.GetProperty("code").GetString());
        Assert.Contains("key or plan", body.GetProperty("error").GetString());
        Assert.DoesNotContain(QuotesServer.PolygonKey, body.GetRawText());
        Assert.DoesNotContain(_server.Logs.Lines, l => l.Contains(QuotesServer.PolygonKey));
    }

    [Fact]
    public async Task A_persistent_upstream_outage_is_503()
    {
        using var http = _server.CreateHttpClient();
        Market.Faults.FailNextRestRequests(1000, 503, "/v3/reference/tickers");

        var (status, body) = await GetAsync(http, "/api/market/search?q=zzz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(ErrorCodes.UpstreamUnavailable, body.GetProperty("code").GetString());
    }
}

/// <summary>An unreachable provider and a flooding client.</summary>
public sealed class RestLimitSpecs
{
    [Fact]
    public async Task An_unreachable_provider_is_503()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Polygon:RestUrl"] = "http://127.0.0.1:9/" });
        using var http = server.CreateHttpClient(QuotesServer.ClientKey);

        using var response = await http.GetAsync("/api/market/status");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(ErrorCodes.UpstreamUnavailable, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_key_past_its_burst_gets_429_with_Retry_After()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["Api:RateLimit:Burst"] = "5",
            ["Api:RateLimit:PermitsPerSecond"] = "1",
        });
        using var http = server.CreateHttpClient(QuotesServer.ClientKey);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) responses.Add(await http.GetAsync("/api/market/status"));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 1, 7);
        Assert.True(responses.Take(5).All(r => r.StatusCode == HttpStatusCode.OK));
        Assert.NotNull(limited[0].Headers.RetryAfter);
        using var doc = JsonDocument.Parse(await limited[0].Content.ReadAsStringAsync());
        Assert.Equal(ErrorCodes.RateLimited, doc.RootElement.GetProperty("code").GetString());
        responses.ForEach(r => r.Dispose());
    }
}
