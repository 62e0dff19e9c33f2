using System.Net;
using System.Text.Json;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// One answer cannot take the REST cache (<c>Limits:RestCacheEntryBytes</c>): a relayed answer over the entry limit is served
/// whole but not kept, so the next identical request reaches the provider again; an answer under it is kept.
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
}
