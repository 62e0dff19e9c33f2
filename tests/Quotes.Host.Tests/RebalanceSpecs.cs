using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Symbols;
using Quotes.Host.Tests.ScaleOut;
using Quotes.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Shards move to a joining node while a client streams 30 symbols that already have history; the client never
/// resubscribes, never waits long for a fresh quote, and never sees <c>seq</c> or the day's state go back.
/// </summary>
public sealed class RebalanceSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task After_shards_move_to_a_new_node_every_symbol_keeps_streaming_with_its_seq_continuing()
    {
        await using var cluster = await ClusterNodes.StartSimulatorAsync(); // 10 aggregates per second per symbol
        var a = await cluster.AddNodeAsync();
        await a.WaitUntilReadyAsync();
        var symbols = Enumerable.Range(0, 30).Select(i => $"R{i}").ToList();
        var clock = Stopwatch.StartNew();
        await using var client = await QuoteStream.OpenAsync("A", a.BaseUrl, QuotesServer.ClientKey, symbols, clock);

        // History first: a new incarnation that restarted at seq 1 would now stall each symbol for seconds.
        await QuoteStream.UntilAsync([client], () => symbols.All(s => client.LatestSeq(s) >= 100), TimeSpan.FromSeconds(60));
        Assert.All(symbols, s => Assert.True(client.LatestSeq(s) >= 100, $"{s} at seq {client.LatestSeq(s)}"));
        var before = symbols.ToDictionary(s => s, client.LatestSeq);
        var joined = clock.Elapsed;

        var b = await cluster.AddNodeAsync();
        await cluster.WaitForUpMembersAsync(a, 2);
        // Shards move in rounds every 2 s (hocon/quotes.hocon; Akka's default is 10 s), as the coordinator on A reads it.
        Assert.Equal(TimeSpan.FromSeconds(2), ClusterShardingSettings.Create(a.System).TuningParameters.RebalanceInterval);
        await Eventually.HoldsAsync(async () =>
        {
            var region = b.Services.GetRequiredService<IRequiredActor<SymbolActor>>().ActorRef;
            var entities = await region.Ask<ShardRegionStats>(GetShardRegionStats.Instance, TimeSpan.FromSeconds(3));
            Assert.True(entities.Stats.Values.Sum() > 0, "no symbol moved to the new node yet");
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        var moved = clock.Elapsed;
        await QuoteStream.UntilAsync([client], () => symbols.All(s => client.FreshSince(s, moved + TimeSpan.FromSeconds(1)) >= 10), TimeSpan.FromSeconds(30));
        Assert.All(symbols, s => Assert.True(client.FreshSince(s, moved + TimeSpan.FromSeconds(1)) >= 10));
        var end = clock.Elapsed;

        var longest = symbols.Select(s => (Symbol: s, Gap: client.LongestGap(s, joined, end))).MaxBy(g => g.Gap);
        output.WriteLine($"shards moved {(moved - joined).TotalSeconds:F1} s after the join; longest wait for a fresh quote {longest.Gap.TotalSeconds:F2} s ({longest.Symbol})");
        Assert.True(longest.Gap <= TimeSpan.FromSeconds(5), $"{longest.Symbol} waited {longest.Gap.TotalSeconds:F1} s for a fresh quote");
        Assert.All(symbols, s => Assert.True(client.LatestSeq(s) > before[s] + 10, $"{s}: seq {client.LatestSeq(s)} after {before[s]}"));
        Assert.Empty(client.Regressions());
        Assert.Equal(1, cluster.Simulator.Market.MaxConcurrentConnections);
    }
}
