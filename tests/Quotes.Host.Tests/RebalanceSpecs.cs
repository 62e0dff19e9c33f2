using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Symbols;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Shards move to a joining node; clients keep their quotes without resubscribing (the interest leases follow).</summary>
public sealed class RebalanceSpecs
{
    [Fact]
    public async Task After_shards_move_to_new_nodes_every_symbol_keeps_streaming()
    {
        await using var cluster = await ClusterNodes.StartSimulatorAsync();
        var a = await cluster.AddNodeAsync();
        await a.WaitUntilReadyAsync();
        var symbols = Enumerable.Range(0, 30).Select(i => $"R{i}").ToList();
        await using var client = await a.ConnectAsync();
        await client.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols }));
        foreach (var s in symbols) await client.ExpectAsync(m => m.GetProperty("type").GetString() == "quote" && m.GetProperty("symbol").GetString() == s);

        var b = await cluster.AddNodeAsync();
        await cluster.WaitForUpMembersAsync(a, 2);
        var region = a.Services.GetRequiredService<IRequiredActor<SymbolActor>>().ActorRef;
        await Eventually.HoldsAsync(async () =>
        {
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(5));
            Assert.True(stats.Regions.Count(r => r.Value.Stats.Count > 0) == 2, "shards on both nodes");
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var from = client.Received.Count;
        foreach (var s in symbols)
            await client.ExpectAsync(m => m.GetProperty("type").GetString() == "quote" && m.GetProperty("symbol").GetString() == s && m.GetProperty("timestamp").GetInt64() > after,
                TimeSpan.FromSeconds(20), from);
        Assert.Equal(1, cluster.Simulator.Market.MaxConcurrentConnections);
        _ = b;
    }
}
