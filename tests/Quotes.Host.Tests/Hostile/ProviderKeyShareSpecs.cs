using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 3, per key: each client key has its own share of the node's provider budget
/// (<c>Polygon:MaxRequestsPerSecondPerKey</c>). A key flooding reads of symbols nobody streams, over every REST route that
/// reaches the provider, is answered 429 past its share, while another key's reads go on meanwhile and a new symbol it
/// streams gets its day from the provider; the provider (a simulator answering 429 past its plan's rate) never rate-limits
/// the server and the circuit breaker stays closed.
/// </summary>
public sealed class ProviderKeyShareSpecs : IAsyncLifetime
{
    private const string OtherKey = "another-client-key";
    private const int ProviderPlanRate = 25; // the simulator answers 429 past this many requests in any second
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1"] = OtherKey,
        ["Api:RateLimit:Burst"] = "100000",
        ["Api:RateLimit:PermitsPerSecond"] = "100000",
        // 10 a second and bursts of 10: under the plan's 25 in any second; 2 of them kept for the server (the default), so
        // clients together may take 8 a second and wait in a line of 4 at most; each key 4 a second, in a line of 2.
        ["Polygon:MaxRequestsPerSecond"] = "10",
        ["Polygon:MaxRequestsPerSecondPerKey"] = "4",
        ["Polygon:MaxQueueWait"] = "00:00:00.500",
    }, new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, RestRequestsPerSecond = ProviderPlanRate });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    private static async Task<(HttpStatusCode Status, RetryConditionHeaderValue? RetryAfter, string Body)> GetAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every REST route of a key that reaches the provider for a symbol nobody streams, each time for never-seen symbols.</summary>
    private static string FloodPath(int n)
    {
        string Unknown(int i) => $"ZQ{i:D7}";
        return (n % 4) switch
        {
            0 => $"/api/market/quote/{Unknown(n)}",
            1 => $"/api/market/quotes?symbols={string.Join(',', Enumerable.Range(n * 50, 50).Select(Unknown))}",
            2 => $"/polygon/v2/snapshot/locale/us/markets/stocks/tickers/{Unknown(n)}",
            _ => $"/polygon/v2/aggs/ticker/{Unknown(n)}/prev",
        };
    }

    [Fact]
    public async Task A_key_flooding_reads_of_unknown_symbols_gets_429_past_its_share_while_another_key_reads_on()
    {
        using var http = _server.CreateHttpClient();
        var answers = new ConcurrentQueue<(string Path, HttpStatusCode Status, RetryConditionHeaderValue? RetryAfter, string Body)>();
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var next = 0;

        // Key A: sixteen loops asking for ever new symbols as fast as they are answered, until told to stop. Without a share
        // of its own it would hold every permit clients may take and fill their line, and key B's reads would get 503.
        var flood = Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var path = FloodPath(Interlocked.Increment(ref next));
                var (status, retryAfter, body) = await GetAsync(http, path, QuotesServer.ClientKey);
                answers.Enqueue((path, status, retryAfter, body));
                if (status == HttpStatusCode.TooManyRequests) refused.TrySetResult();
            }
        })));
        await refused.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // While key A is past its share: key B reads symbols no cache holds, one at a time and fifty at once, both routes
        // (five provider calls, within its own share).
        var symbols = ReferenceTickers.All.Select(t => t.Symbol).ToList();
        var floodedBefore = answers.Count;
        foreach (var symbol in symbols.Take(3))
        {
            var (status, _, body) = await GetAsync(http, $"/api/market/quote/{symbol}", OtherKey);
            Assert.True(status == HttpStatusCode.OK, $"{symbol}: {status} {body}");
            using var quote = JsonDocument.Parse(body);
            Assert.Equal("snapshot", quote.RootElement.GetProperty("data").GetProperty("source").GetString());
        }
        var (manyStatus, _, manyBody) = await GetAsync(http, $"/api/market/quotes?symbols={string.Join(',', symbols.Skip(5).Take(50))}", OtherKey);
        Assert.True(manyStatus == HttpStatusCode.OK, $"{manyStatus} {manyBody}");
        using (var many = JsonDocument.Parse(manyBody)) Assert.Equal(50, many.RootElement.GetProperty("data").GetArrayLength());
        var (relayStatus, _, relayBody) = await GetAsync(http, $"/polygon/v2/snapshot/locale/us/markets/stocks/tickers/{symbols[60]}", OtherKey);
        Assert.True(relayStatus == HttpStatusCode.OK, $"{relayStatus} {relayBody}");

        // And key B streams a new symbol: its entity reads the day from the provider on the server's own share, so the quotes
        // carry the previous close.
        await using (var socket = await TestSocket.ConnectAsync(_server.SocketUri(key: OtherKey)))
        {
            await socket.ExpectAsync("type", "status");
            var streamed = symbols[62];
            await socket.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols = new[] { streamed } }));
            await socket.ExpectAsync(m => TestSocket.IsQuote(m, streamed) && m.TryGetProperty("previousClose", out var close)
                && close.ValueKind == JsonValueKind.Number && close.GetDecimal() == Market.Walk(streamed).PreviousClose);
        }

        // The flood was on all along: still running, and answered meanwhile.
        Assert.False(flood.IsCompleted);
        Assert.True(answers.Count > floodedBefore, "key A's flood went on during key B's reads");
        await stop.CancelAsync();
        await flood;

        // Key A: answered within its share, refused past it with the protocol's per-key answer, never a 503.
        var all = answers.ToList();
        Assert.All(all, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests, $"{a.Path}: {a.Status} {a.Body}"));
        var refusals = all.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Contains(refusals, a => a.Path.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Contains(refusals, a => a.Path.StartsWith("/polygon/", StringComparison.Ordinal));
        Assert.All(refusals, a => Assert.True(a.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{a.Path}: Retry-After"));
        Assert.All(refusals.Where(a => a.Path.StartsWith("/api/", StringComparison.Ordinal)), a =>
        {
            using var error = JsonDocument.Parse(a.Body);
            Assert.Equal(ErrorCodes.RateLimited, error.RootElement.GetProperty("code").GetString());
            Assert.Contains("share", error.RootElement.GetProperty("error").GetString());
        });

        // The provider never rate-limited the server, and the breaker never opened: a read right after the flood succeeds.
        Assert.Equal(0, Market.Faults.RestRateLimited);
        var after = await GetAsync(http, $"/api/market/quote/{symbols[61]}", QuotesServer.ClientKey);
        Assert.True(after.Status == HttpStatusCode.OK, $"{after.Status} {after.Body}");
        Assert.DoesNotContain(_server.Logs.Lines, l => l.Contains("circuit", StringComparison.OrdinalIgnoreCase));
    }
}
