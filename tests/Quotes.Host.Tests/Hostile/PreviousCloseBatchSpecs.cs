using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 2: previous-close lookups are batched. On a plan without snapshots, REST quotes of symbols nobody
/// streams answer from the previous session's grouped daily bars, read once for every ticker, never with one
/// <c>/prev</c> per symbol; the same read again that day costs no provider call. Only a plan without grouped bars either
/// reads each symbol's <c>/prev</c> (kept a while), as before.
/// </summary>
public sealed class PreviousCloseBatchSpecs : IAsyncLifetime
{
    private const string GroupedPrefix = "/v2/aggs/grouped/locale/us/market/stocks/";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Api:RateLimit:Burst"] = "1000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MarketSimulator Market => _server.Simulator!.Market;

    private IReadOnlyDictionary<string, int> Calls => Market.Report().RestCalls;

    /// <summary>Every REST request the provider served, whatever its path.</summary>
    private int ProviderRequests => Calls.Values.Sum();

    private int GroupedCalls => Calls.Where(c => c.Key.StartsWith(GroupedPrefix, StringComparison.Ordinal)).Sum(c => c.Value);

    private int PrevCalls => Calls.Where(c => c.Key.EndsWith("/prev", StringComparison.Ordinal)).Sum(c => c.Value);

    private async Task<JsonElement> QuotesAsync(IEnumerable<string> symbols)
    {
        using var http = _server.CreateHttpClient(QuotesServer.ClientKey);
        using var response = await http.GetAsync($"/api/market/quotes?symbols={string.Join(',', symbols)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").Clone();
    }

    /// <summary>The simulated provider's own <c>/prev</c> bar of <paramref name="symbol"/>, asked directly (not through the server).</summary>
    private async Task<JsonElement> ProviderPrevAsync(string symbol)
    {
        using var http = new HttpClient { BaseAddress = _server.Simulator!.HttpUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/aggs/ticker/{symbol}/prev?adjusted=true");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.PolygonKey);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("results")[0].Clone();
    }

    [Fact]
    public async Task Without_snapshots_twenty_symbols_cost_one_grouped_read_no_prev_call_and_the_same_read_again_nothing()
    {
        Market.Faults.SnapshotsRefused = true;
        var symbols = ReferenceTickers.All.Skip(100).Take(19).Select(t => t.Symbol).Append("NOPE1").ToList();
        var before = ProviderRequests;

        var quotes = await QuotesAsync(symbols);

        Assert.Equal(1, GroupedCalls);
        Assert.Equal(0, PrevCalls);
        Assert.Equal(2, ProviderRequests - before); // the refused snapshot batch, and the grouped read
        Assert.Equal(symbols[..19], quotes.EnumerateArray().Select(q => q.GetProperty("symbol").GetString()));
        foreach (var quote in quotes.EnumerateArray())
        {
            Assert.Equal("previous-close", quote.GetProperty("source").GetString());
            Assert.Equal(Market.Walk(quote.GetProperty("symbol").GetString()!).PreviousClose, quote.GetProperty("price").GetDecimal());
        }

        var again = await QuotesAsync(symbols);

        Assert.Equal(2, ProviderRequests - before);
        Assert.Equal(quotes.GetRawText(), again.GetRawText());

        var prev = await ProviderPrevAsync(symbols[0]);
        var first = quotes[0];
        Assert.Equal(prev.GetProperty("c").GetDecimal(), first.GetProperty("price").GetDecimal());
        Assert.Equal(prev.GetProperty("o").GetDecimal(), first.GetProperty("open").GetDecimal());
        Assert.Equal(prev.GetProperty("h").GetDecimal(), first.GetProperty("high").GetDecimal());
        Assert.Equal(prev.GetProperty("l").GetDecimal(), first.GetProperty("low").GetDecimal());
        Assert.Equal(prev.GetProperty("vw").GetDecimal(), first.GetProperty("vwap").GetDecimal());
        Assert.Equal(prev.GetProperty("t").GetInt64(), first.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task Without_grouped_bars_either_each_symbol_reads_its_own_prev_once()
    {
        Market.Faults.SnapshotsRefused = true;
        Market.Faults.GroupedRefused = true;
        var symbols = ReferenceTickers.All.Skip(200).Take(3).Select(t => t.Symbol).ToList();
        var before = ProviderRequests;

        var quotes = await QuotesAsync(symbols);

        Assert.Equal(symbols, quotes.EnumerateArray().Select(q => q.GetProperty("symbol").GetString()));
        foreach (var quote in quotes.EnumerateArray())
        {
            Assert.Equal("previous-close", quote.GetProperty("source").GetString());
            Assert.Equal(Market.Walk(quote.GetProperty("symbol").GetString()!).PreviousClose, quote.GetProperty("price").GetDecimal());
        }
        Assert.Equal(1, GroupedCalls);
        Assert.Equal(symbols.Count, PrevCalls);

        await QuotesAsync(symbols);

        Assert.Equal(1 + 1 + symbols.Count, ProviderRequests - before); // the refused snapshot batch, the refused grouped read, one /prev each
    }
}
