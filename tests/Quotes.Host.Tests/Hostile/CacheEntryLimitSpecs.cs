using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// One answer cannot take the REST cache (<c>Limits:RestCacheEntryBytes</c>): a relayed or <c>/api</c> answer over the entry
/// limit is served whole but not kept, so the next identical request reaches the provider again; an answer under it is kept,
/// and charged its size against <c>Limits:RestCacheBytes</c>.
/// </summary>
public sealed class CacheEntryLimitSpecs : IAsyncLifetime
{
    private const int EntryBytes = 4096;
    private const string Path = "/v3/reference/tickers";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:RestCacheEntryBytes"] = EntryBytes.ToString(),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Bytes, int ProviderCalls)> TwiceAsync(HttpClient http, int limit)
    {
        var before = _server.Simulator!.Market.RestCalls(Path);
        var bodies = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await http.GetAsync($"/polygon{Path}?limit={limit}&apiKey={QuotesServer.ClientKey}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            bodies.Add(body);
        }
        // Served whole both times (the provider stamps each answer with its own request_id).
        Assert.Equal(Results(bodies[0]), Results(bodies[1]));
        return (bodies[0].Length, _server.Simulator!.Market.RestCalls(Path) - before);
    }

    private static string Results(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("results").GetRawText();
    }

    [Fact]
    public async Task An_answer_over_the_entry_limit_is_served_but_not_cached_and_a_small_one_is_cached()
    {
        using var http = _server.CreateHttpClient();

        var small = await TwiceAsync(http, limit: 1);
        Assert.InRange(small.Bytes, 1, EntryBytes / 2);
        Assert.Equal(1, small.ProviderCalls);

        var large = await TwiceAsync(http, limit: 100);
        Assert.InRange(large.Bytes, EntryBytes * 2, int.MaxValue);
        Assert.Equal(2, large.ProviderCalls);
    }

    private long CachedBytes() => _server.Services.GetRequiredService<IMemoryCache>().GetCurrentStatistics()!.CurrentEstimatedSize
        ?? throw new InvalidOperationException("the REST cache has no size limit");

    private async Task<(int Bytes, int ProviderCalls, long CachedBytes)> HistoryTwiceAsync(HttpClient http, string from, string to)
    {
        var path = $"/v2/aggs/ticker/AAPL/range/1/day/{from}/{to}";
        var (calls, cached) = (_server.Simulator!.Market.RestCalls(path), CachedBytes());
        var bars = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/market/historical/AAPL?from={from}&to={to}&timespan=day");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            var data = json.RootElement.GetProperty("data").GetProperty("bars");
            Assert.NotEqual(0, data.GetArrayLength());
            bars.Add(data.GetRawText());
        }
        Assert.Equal(bars[0], bars[1]);
        return (bars[0].Length, _server.Simulator!.Market.RestCalls(path) - calls, CachedBytes() - cached);
    }

    [Fact]
    public async Task An_api_answer_over_the_entry_limit_is_served_twice_from_the_provider_and_a_small_one_is_cached_at_its_size()
    {
        using var http = _server.CreateHttpClient();

        var small = await HistoryTwiceAsync(http, "2026-11-02", "2026-11-03"); // a Monday and a Tuesday
        Assert.InRange(small.Bytes, 1, EntryBytes / 2);
        Assert.Equal(1, small.ProviderCalls);
        Assert.InRange(small.CachedBytes, small.Bytes / 2, EntryBytes); // its serialized size, not 0

        var large = await HistoryTwiceAsync(http, "2025-01-01", "2025-12-31"); // about 250 bars
        Assert.InRange(large.Bytes, EntryBytes * 2, int.MaxValue);
        Assert.Equal(2, large.ProviderCalls);
        Assert.Equal(0, large.CachedBytes);
    }
}
