using System.Net.Http.Headers;
using System.Text.Json;
using Akka.Actor;
using Quotes.Actors;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>The shard count is a setting (<c>Akka:Shards</c>), and operators see each node's cross-node traffic by kind.</summary>
public sealed class ShardCountSpecs : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;
    private QuotesServer _a = null!;
    private QuotesServer _b = null!;
    private static readonly string[] Symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM", "V", "KO", "PEP", "IBM"];

    public async Task InitializeAsync() => (_cluster, _a, _b) = await ClusterNodes.StartPairAsync(shards: 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Symbols_spread_over_the_configured_number_of_shards_and_nodes_report_their_traffic()
    {
        await using var onA = await _a.ConnectAsync();
        await using var onB = await _b.ConnectAsync();
        foreach (var client in new[] { onA, onB })
        {
            await client.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols = Symbols }));
            foreach (var symbol in Symbols) await client.ExpectAsync(m => TestSocket.IsQuote(m, symbol));
        }

        // Twelve symbols, three shards: never more than three, however the symbols hash.
        var nodes = (await ClusterNodes.AdminAsync(_a, "/admin/cluster")).GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(Symbols.Length, nodes.Sum(n => n.GetProperty("entities").GetInt32()));
        Assert.InRange(nodes.Sum(n => n.GetProperty("shards").GetInt32()), 1, 3);

        // Both nodes hold every symbol: interest leases (I) and quote updates crossed between them.
        var wire = await ClusterNodes.AdminAsync(_a, "/admin/wire");
        var sent = wire.GetProperty("sent").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!, k => k.GetProperty("messages").GetInt64());
        Assert.True(sent.GetValueOrDefault("I") > 0, string.Join(", ", sent));
        Assert.True(sent.GetValueOrDefault("Q") + sent.GetValueOrDefault("QB") > 0, string.Join(", ", sent));
    }

    [Fact]
    public async Task Polygon_clients_get_the_upstream_events_of_symbols_whose_entity_lives_on_another_node()
    {
        await using var socket = await TestSocket.ConnectAsync(new UriBuilder(_b.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await socket.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await socket.SendAsync($$"""{"action":"subscribe","params":"{{string.Join(",", Symbols.Select(s => "A." + s))}}"}""");

        // Three shards over two nodes: some symbols live on each; every one must reach this node's façade client.
        foreach (var symbol in Symbols)
            await socket.ExpectAsync(m => m.GetProperty("ev").GetString() == "A" && m.GetProperty("sym").GetString() == symbol);
        var nodes = (await ClusterNodes.AdminAsync(_a, "/admin/cluster")).GetProperty("nodes").EnumerateArray().ToList();
        Assert.All(nodes, n => Assert.True(n.GetProperty("entities").GetInt32() > 0, "both nodes hold entities"));
    }

    [Fact]
    public async Task Sharding_runs_apart_from_the_quote_data_path_and_the_entities_on_it()
    {
        await using var client = await _a.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));

        static async Task<string> DispatcherOf(ActorSystem system, string path) =>
            ((ActorRefWithCell)await system.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(5))).Underlying.Props.Dispatcher;
        static async Task<string?> DispatcherIfThere(ActorSystem system, string path)
        {
            try
            {
                return await DispatcherOf(system, path);
            }
            catch (ActorNotFoundException)
            {
                return null; // the entity lives on the other node
            }
        }
        var system = _a.System;
        Assert.Equal(FanoutDispatcher.ShardingId, await DispatcherOf(system, "/system/sharding/symbol"));
        Assert.Equal(FanoutDispatcher.ShardingId, await DispatcherOf(system, "/system/sharding/symbolCoordinator"));
        var entity = await DispatcherIfThere(system, "/system/sharding/symbol/*/AAPL");
        var entityOnB = await DispatcherIfThere(_b.System, "/system/sharding/symbol/*/AAPL");
        Assert.Equal(FanoutDispatcher.Id, entity ?? entityOnB);
    }
}
