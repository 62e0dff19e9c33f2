using System.Net;
using System.Net.Http.Headers;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 3: a provider 429 says "slow down", not "down". A burst the provider answers 429 to, far past the circuit
/// breaker's threshold (100 calls in its sampling window, 10 % of them failed), is retried and fails, but never opens the
/// breaker: the next read succeeds at once, for this key and any other.
/// </summary>
public sealed class ProviderBreakerSpecs : IAsyncLifetime
{
    private const string TickersPath = "/v3/reference/tickers";
    private const int Burst = 40;
    private const int AttemptsPerRequest = 4; // the first try and three retries
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Api:RateLimit:Burst"] = "1000",
        ["Api:RateLimit:PermitsPerSecond"] = "1000",
        // Every attempt reaches the provider: no budget of this server refuses any of them.
        ["Polygon:MaxRequestsPerSecond"] = "1000",
        ["Polygon:MaxRequestsPerSecondPerKey"] = "0",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    private HttpClient Client()
    {
        var http = _server.CreateHttpClient(QuotesServer.ClientKey);
        return http;
    }

    [Fact]
    public async Task A_burst_answered_429_never_opens_the_breaker_and_the_next_read_succeeds_at_once()
    {
        using var http = Client();
        Market.Faults.FailNextRestRequests(Burst * AttemptsPerRequest, 429, TickersPath);

        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(async i =>
        {
            using var response = await http.GetAsync($"/api/market/search?q=burst{i}");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        // Each request was tried and retried against the provider, which answered 429 every time: 160 calls, all failed, and
        // not one short-circuited by an open breaker (that would have kept it from the provider).
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode));
        Assert.All(answers, a => Assert.Contains(ErrorCodes.UpstreamUnavailable, a.Body));
        Assert.Equal(Burst * AttemptsPerRequest, Market.RestCalls(TickersPath));

        // The 429s are spent: the next read is answered by the provider at once, on its first try.
        using var next = await http.GetAsync("/api/market/search?q=apple");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(Burst * AttemptsPerRequest + 1, Market.RestCalls(TickersPath));
        using var quote = await http.GetAsync("/api/market/quote/MSFT");
        Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        Assert.DoesNotContain(_server.Logs.Lines, l => l.Contains("circuit", StringComparison.OrdinalIgnoreCase));
    }
}
