using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 3: the provider is a shared budget. A client flooding distinct REST requests (no cache can answer them)
/// gets 503 with <c>Retry-After</c> past the node's provider rate, the provider (a simulator answering 429 past its plan's
/// rate) never rate-limits the server, and another client's REST keeps working.
/// </summary>
public sealed class ProviderBudgetSpecs : IAsyncLifetime
{
    private const string OtherKey = "another-client-key";
    private const int ProviderPlanRate = 25; // the simulator answers 429 past this many requests in any second
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1"] = OtherKey,
        ["Api:RateLimit:Burst"] = "1000",
        ["Api:RateLimit:PermitsPerSecond"] = "1000",
        ["Polygon:MaxRequestsPerSecond"] = "10", // at most 10 at once plus 10 a second: under the plan's 25 in any second
        ["Polygon:MaxQueueWait"] = "00:00:00.500",
        ["Polygon:MaxRequestsPerSecondPerKey"] = "0", // no share of its own: one key meets the node's budget (ProviderKeyShareSpecs: a key's share)
    }, new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, RestRequestsPerSecond = ProviderPlanRate });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    private static async Task<(HttpStatusCode Status, RetryConditionHeaderValue? RetryAfter, JsonElement Body)> GetAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, response.Headers.RetryAfter, doc.RootElement.Clone());
    }

    [Fact]
    public async Task A_flood_of_distinct_requests_gets_503_with_Retry_After_and_never_makes_the_provider_rate_limit_the_server()
    {
        using var http = _server.CreateHttpClient();
        var before = Market.RestCalls("/v3/reference/tickers");

        // 200 distinct searches at once: each one a provider call, 8 times the plan's rate.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => GetAsync(http, $"/api/market/search?q=flood{i}", QuotesServer.ClientKey)));
        var elapsed = clock.Elapsed;

        var busy = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(busy, a =>
        {
            Assert.True(a.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After");
            Assert.Equal(ErrorCodes.UpstreamUnavailable, a.Body.GetProperty("code").GetString());
            Assert.Contains("budget", a.Body.GetProperty("error").GetString());
        });
        // Every answer that was not refused here came from the provider; the provider got no more than the budget allows
        // over the flood (10 at once plus 10 a second; an attempt that timed out on a slow machine and whose retry found the
        // budget spent is a call without an OK), and it never refused one.
        var calls = Market.RestCalls("/v3/reference/tickers") - before;
        Assert.InRange(calls, answers.Count(a => a.Status == HttpStatusCode.OK), 10 + 10 * (int)Math.Ceiling(elapsed.TotalSeconds));
        Assert.Equal(0, Market.Faults.RestRateLimited);

        // The breaker stays closed: another client's REST works at once, and so does the façade.
        var other = await GetAsync(http, "/api/market/quote/AAPL", OtherKey);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        using var facade = await http.GetAsync($"/polygon/v1/marketstatus/now?apiKey={OtherKey}");
        Assert.Equal(HttpStatusCode.OK, facade.StatusCode);
        Assert.DoesNotContain(_server.Logs.Lines, l => l.Contains("circuit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_facade_relay_draws_on_the_same_budget_and_answers_503_with_Retry_After()
    {
        using var http = _server.CreateHttpClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var response = await http.GetAsync($"/polygon/v3/reference/tickers?search=flood{i}&apiKey={QuotesServer.ClientKey}");
            return (response.StatusCode, response.Headers.RetryAfter);
        }));

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.ServiceUnavailable && a.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal(0, Market.Faults.RestRateLimited);
    }
}
