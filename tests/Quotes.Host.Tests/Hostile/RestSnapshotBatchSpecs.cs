using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 2: REST reads of symbols nobody streams are batched and cached. Fifty symbols cost one provider request
/// (the full-market snapshot), not one or more per symbol; the same read again within <c>Polygon:SnapshotCacheDuration</c>
/// costs none; each quote still says what it always said (source, price, previous close, change).
/// </summary>
public sealed class RestSnapshotBatchSpecs : IAsyncLifetime
{
    private const string SnapshotsPath = "/v2/snapshot/locale/us/markets/stocks/tickers";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Api:RateLimit:Burst"] = "1000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    /// <summary>Every REST request the provider served, whatever its path.</summary>
    private int ProviderRequests => Market.Report().RestCalls.Values.Sum();

    private async Task<JsonElement> QuotesAsync(IEnumerable<string> symbols)
    {
        using var http = _server.CreateHttpClient(QuotesServer.ClientKey);
        using var response = await http.GetAsync($"/api/market/quotes?symbols={string.Join(',', symbols)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").Clone();
    }

    [Fact]
    public async Task Fifty_symbols_nobody_streams_cost_one_provider_request_and_the_same_read_again_none()
    {
        var symbols = ReferenceTickers.All.Take(50).Select(t => t.Symbol).ToList();
        var before = ProviderRequests;

        var quotes = await QuotesAsync(symbols);

        Assert.Equal(1, ProviderRequests - before);
        Assert.Equal(1, Market.RestCalls(SnapshotsPath));
        Assert.Equal(symbols, quotes.EnumerateArray().Select(q => q.GetProperty("symbol").GetString()));
        foreach (var quote in quotes.EnumerateArray())
        {
            var walk = Market.Walk(quote.GetProperty("symbol").GetString()!);
            Assert.Equal("snapshot", quote.GetProperty("source").GetString());
            Assert.Equal(walk.Price, quote.GetProperty("price").GetDecimal());
            Assert.Equal(walk.PreviousClose, quote.GetProperty("previousClose").GetDecimal());
            Assert.Equal(walk.Price - walk.PreviousClose, quote.GetProperty("change").GetDecimal());
        }

        var again = await QuotesAsync(symbols);

        Assert.Equal(1, ProviderRequests - before);
        Assert.Equal(quotes.GetRawText(), again.GetRawText());
    }

    [Fact]
    public async Task Fifty_symbols_the_provider_does_not_list_cost_one_provider_request_and_are_left_out()
    {
        var symbols = Enumerable.Range(0, 50).Select(i => $"NOPE{i:D2}").ToList();
        var before = ProviderRequests;

        var quotes = await QuotesAsync(symbols);
        var again = await QuotesAsync(symbols);

        Assert.Equal(0, quotes.GetArrayLength());
        Assert.Equal(0, again.GetArrayLength());
        Assert.Equal(1, ProviderRequests - before);
    }
}
