using System.Net;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Metrics;

/// <summary>
/// One node on real Kestrel fed by the simulator, put through what the metrics must see: clients streaming on <c>/ws</c>,
/// a Polygon-protocol client with a wrong key, a malformed client frame, REST reads (provider calls, cache hits) up to the
/// rate limit, and an upstream eviction with its reconnect. Scraped before anything happens and after.
/// </summary>
public sealed class MetricsScenario : IAsyncLifetime
{
    public const string AdminKey = "metrics-admin-key";
    public static readonly string[] Symbols = ["AAPL", "MSFT", "NVDA"];

    public QuotesServer Server { get; private set; } = null!;
    public TestSocket Client { get; private set; } = null!;
    public TestSocket PolygonClient { get; private set; } = null!;

    /// <summary>Taken once the node was ready, before any client connected.</summary>
    public MetricsScrape AtStart { get; private set; } = null!;

    private MarketSimulator Market => Server.Simulator!.Market;

    public async Task InitializeAsync()
    {
        Server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = AdminKey,
            ["Api:RateLimit:Burst"] = "4",
            ["Api:RateLimit:PermitsPerSecond"] = "1",
            ["Limits:MaxSymbolsPerKey"] = "3", // the client's three: a fourth is refused with CAPACITY
        });
        AtStart = await ScrapeAsync();

        Client = await Server.ConnectAsync();
        await Client.SendAsync("""{"type":"subscribe","symbols":["AAPL","MSFT","NVDA"]}""");
        foreach (var symbol in Symbols) await Client.ExpectAsync(m => TestSocket.IsQuote(m, symbol) && !m.TryGetProperty("snapshot", out _));
        // Those quotes may all come from the provider snapshot read after the upstream connected (the refill), not from
        // an aggregate: wait for the upstream's first aggregates, or on a slow machine the eviction below can cut the
        // connection before any arrived and the upstream's figures (lag, received) have nothing to show.
        await Eventually.HoldsAsync(async () => Assert.True((await ScrapeAsync()).Value("quotes_upstream_received_total") > 0, "no upstream aggregate yet"),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        await Client.SendAsync("this is not JSON");
        await Client.ExpectAsync("code", "BAD_JSON");
        await Client.SendAsync("""{"type":"subscribe","symbols":["TSLA"]}""");
        await Client.ExpectAsync("code", "CAPACITY");

        PolygonClient = await TestSocket.ConnectAsync(Server.SocketUri("/polygon/stocks", key: null));
        await PolygonClient.SendAsync("""{"action":"auth","params":"not-a-key"}""");
        await PolygonClient.ExpectAsync("status", "auth_failed");

        using var http = Server.CreateHttpClient(QuotesServer.ClientKey);
        for (var i = 0; i < 2; i++) (await http.GetAsync("/api/market/search?q=app")).EnsureSuccessStatusCode(); // a provider call, then a cache hit
        // The façade's relay the same way (an answer it keeps for a minute, so the second is a hit however slow the machine).
        for (var i = 0; i < 2; i++) (await http.GetAsync("/polygon/v2/aggs/ticker/AAPL/range/1/day/2026-11-02/2026-11-06")).EnsureSuccessStatusCode();
        var refused = false;
        for (var i = 0; i < 20 && !refused; i++) refused = (await http.GetAsync("/api/market/status")).StatusCode == HttpStatusCode.TooManyRequests;
        Assert.True(refused, "the REST rate limit never refused a request");

        // Polygon evicts the connection right after its next auth: a reconnect, an eviction, and (after the 3 s cooldown) a reconnect.
        Market.Faults.EvictAfterAuth = true;
        Market.DropAll();
        await Eventually.HoldsAsync(async () => Assert.Contains("evicted", (await Server.UpstreamReportAsync()).Reason));
        Market.Faults.EvictAfterAuth = false;
    }

    public Task<MetricsScrape> ScrapeAsync() => MetricsScrape.GetAsync(Server.BaseUrl, AdminKey);

    public async Task DisposeAsync()
    {
        await PolygonClient.DisposeAsync();
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
