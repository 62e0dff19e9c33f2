using System.Net.Http.Headers;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Symbols;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 2: symbols are a budget. Past the cluster's cap, a key's cap or a key's churn budget a subscribe is
/// refused whole with <c>CAPACITY</c> naming the limit, while clients within their budgets stream on; the façade socket has
/// the command rate limiter; REST reads of symbols nobody streams create no entity and no upstream subscription.
/// </summary>
public sealed class SymbolBudgetSpecs : IAsyncLifetime
{
    private const string Key2 = "second-client-key";
    private const string Key3 = "third-client-key";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1"] = Key2,
        ["Auth:ApiKeys:2"] = Key3,
        ["Polygon:MaxSymbols"] = "20",
        ["Limits:MaxSymbolsPerKey"] = "8",
        ["Limits:NewSymbolsPerKeyPerMinute"] = "12",
        ["Api:RateLimit:Burst"] = "1000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<TestSocket> ConnectAsync(string key)
    {
        var socket = await TestSocket.ConnectAsync(_server.SocketUri(key: key));
        await socket.ExpectAsync("type", "status");
        return socket;
    }

    private static string Subscribe(IEnumerable<string> symbols, int id) => JsonSerializer.Serialize(new { type = "subscribe", symbols, id });

    private static async Task<JsonElement> ReplyAsync(TestSocket socket, int id) =>
        await socket.ExpectAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == id);

    private static IEnumerable<string> Symbols(string prefix, int n) => Enumerable.Range(0, n).Select(i => $"{prefix}{i}");

    private static async Task ExpectLiveQuoteAsync(TestSocket socket, string symbol)
    {
        var from = socket.Received.Count;
        await socket.ExpectAsync(m => TestSocket.IsQuote(m, symbol) && !m.TryGetProperty("snapshot", out _), from: from);
    }

    [Fact]
    public async Task Past_a_keys_cap_a_subscribe_is_refused_whole_with_CAPACITY_and_other_keys_stream_on()
    {
        await using var first = await ConnectAsync(QuotesServer.ClientKey);
        await using var second = await ConnectAsync(QuotesServer.ClientKey);
        await using var other = await ConnectAsync(Key2);
        await first.SendAsync(Subscribe(Symbols("KA", 8), 1));
        Assert.Equal("subscribed", (await ReplyAsync(first, 1)).GetProperty("type").GetString());

        // The same key on another connection: symbols it holds cost nothing; one more is past its cap, and nothing is added.
        await second.SendAsync(Subscribe(["KA0", "KA1"], 2));
        Assert.Equal("subscribed", (await ReplyAsync(second, 2)).GetProperty("type").GetString());
        await second.SendAsync(Subscribe(["KA2", "KB0"], 3));
        var refusal = await ReplyAsync(second, 3);
        Assert.Equal(ErrorCodes.Capacity, refusal.GetProperty("code").GetString());
        Assert.Contains("Limits:MaxSymbolsPerKey", refusal.GetProperty("message").GetString());
        Assert.DoesNotContain("KB0", (await _server.UpstreamReportAsync()).Wanted);

        // Nobody else is touched: the first connection streams, another key subscribes and streams.
        await ExpectLiveQuoteAsync(first, "KA7");
        await other.SendAsync(Subscribe(["KC0"], 4));
        Assert.Equal("subscribed", (await ReplyAsync(other, 4)).GetProperty("type").GetString());
        await ExpectLiveQuoteAsync(other, "KC0");
    }

    [Fact]
    public async Task Subscribe_unsubscribe_churn_past_a_keys_new_symbols_a_minute_is_refused_with_CAPACITY()
    {
        await using var socket = await ConnectAsync(QuotesServer.ClientKey);
        await socket.SendAsync(Subscribe(Symbols("CA", 8), 1));
        await ReplyAsync(socket, 1);
        await socket.SendAsync(JsonSerializer.Serialize(new { type = "unsubscribe", symbols = Symbols("CA", 8), id = 2 }));
        await ReplyAsync(socket, 2);
        await socket.SendAsync(Subscribe(Symbols("CB", 3), 3)); // 11 of 12 new symbols this minute
        Assert.Equal("subscribed", (await ReplyAsync(socket, 3)).GetProperty("type").GetString());

        await socket.SendAsync(Subscribe(Symbols("CC", 3), 4));

        var refusal = await ReplyAsync(socket, 4);
        Assert.Equal(ErrorCodes.Capacity, refusal.GetProperty("code").GetString());
        Assert.Contains("Limits:NewSymbolsPerKeyPerMinute", refusal.GetProperty("message").GetString());
        // Symbols already held are not churn, and the connection works on.
        await socket.SendAsync(Subscribe(["CB0"], 5));
        Assert.Equal("subscribed", (await ReplyAsync(socket, 5)).GetProperty("type").GetString());
        await ExpectLiveQuoteAsync(socket, "CB1");
    }

    [Fact]
    public async Task Past_the_clusters_cap_new_symbols_are_refused_with_CAPACITY_but_streamed_ones_can_still_be_subscribed()
    {
        await using var a = await ConnectAsync(QuotesServer.ClientKey);
        await using var b = await ConnectAsync(Key2);
        await using var c = await ConnectAsync(Key3);
        await a.SendAsync(Subscribe(Symbols("UA", 8), 1));
        await ReplyAsync(a, 1);
        await b.SendAsync(Subscribe(Symbols("UB", 8), 2));
        await ReplyAsync(b, 2);

        await c.SendAsync(Subscribe(Symbols("UC", 5), 3)); // 21 > 20
        var refusal = await ReplyAsync(c, 3);
        Assert.Equal(ErrorCodes.Capacity, refusal.GetProperty("code").GetString());
        Assert.Contains("Polygon:MaxSymbols", refusal.GetProperty("message").GetString());
        var report = await _server.UpstreamReportAsync();
        Assert.True(report.Wanted.Count <= 20, string.Join(",", report.Wanted));
        Assert.DoesNotContain(report.Wanted, s => s.StartsWith("UC", StringComparison.Ordinal));

        await c.SendAsync(Subscribe(["UA0", .. Symbols("UC", 4)], 4)); // one already carried plus four: 20
        Assert.Equal("subscribed", (await ReplyAsync(c, 4)).GetProperty("type").GetString());
        await ExpectLiveQuoteAsync(c, "UA0");
        await ExpectLiveQuoteAsync(a, "UA1");
    }

    [Fact]
    public async Task The_facade_socket_is_refused_with_CAPACITY_too_and_has_the_command_rate_limiter()
    {
        await using var socket = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await socket.SendAsync($$"""{"action":"auth","params":"{{Key3}}"}""");
        await socket.ExpectAsync("status", "auth_success");

        var from = socket.Received.Count;
        await socket.SendAsync(JsonSerializer.Serialize(new { action = "subscribe", @params = string.Join(",", Symbols("A.FA", 9)) }));
        var refusal = await socket.ExpectAsync(m => m.GetProperty("status").GetString() == "error", from: from);
        Assert.StartsWith("CAPACITY: ", refusal.GetProperty("message").GetString());
        Assert.Contains("Limits:MaxSymbolsPerKey", refusal.GetProperty("message").GetString());
        Assert.DoesNotContain(socket.Received.Skip(from), m => m.GetProperty("message").GetString()!.StartsWith("subscribed to"));

        // A flood of actions: past the burst they are refused, as on /ws.
        for (var i = 0; i < 60; i++) await socket.SendAsync("""{"action":"nothing"}""");
        await socket.ExpectAsync(m => m.GetProperty("message").GetString()!.Contains("too many messages"));
    }

    [Fact]
    public async Task REST_reads_of_symbols_nobody_streams_create_no_entity_and_no_upstream_subscription()
    {
        await using var client = await ConnectAsync(QuotesServer.ClientKey);
        await client.SendAsync(Subscribe(["AAPL"], 1));
        await ExpectLiveQuoteAsync(client, "AAPL");
        using var http = _server.CreateHttpClient(Key2);
        var random = Enumerable.Range(0, 49).Select(i => $"RZ{i}").ToList();

        using var response = await http.GetAsync("/api/market/quotes?symbols=AAPL," + string.Join(",", random));
        response.EnsureSuccessStatusCode();

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sources = body.RootElement.GetProperty("data").EnumerateArray().ToDictionary(q => q.GetProperty("symbol").GetString()!, q => q.GetProperty("source").GetString());
        Assert.Equal("live", sources["AAPL"]); // a streamed symbol still reads live
        var report = await _server.UpstreamReportAsync();
        Assert.DoesNotContain(report.Wanted.Concat(report.Subscribed), random.Contains);
        var region = _server.Services.GetRequiredService<IRequiredActor<SymbolActor>>().ActorRef;
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
        var entities = state.Shards.SelectMany(s => s.EntityIds).ToList();
        Assert.Contains("AAPL", entities);
        Assert.DoesNotContain(entities, random.Contains);
    }
}
