using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// Between nodes, a frame's aggregates, a hub's lease renewals and the entities' want renewals travel in one message per
/// node (<c>AB</c>, <c>IB</c>, <c>WB</c>), never one per symbol, and nothing is lost on the way: every client on either node gets every symbol.
/// </summary>
public sealed class NodeBatchesSpecs : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;
    private QuotesServer _a = null!;
    private QuotesServer _b = null!;
    private static readonly string[] Symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM", "V", "KO", "PEP", "IBM"];

    public async Task InitializeAsync() => (_cluster, _a, _b) = await ClusterNodes.StartPairAsync(shards: 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>Messages this node has sent to other nodes, by kind.</summary>
    private static async Task<Dictionary<string, long>> SentAsync(QuotesServer node) =>
        (await ClusterNodes.AdminAsync(node, "/admin/wire")).GetProperty("sent").EnumerateArray()
            .ToDictionary(k => k.GetProperty("kind").GetString()!, k => k.GetProperty("messages").GetInt64());

    [Fact]
    public async Task A_frames_aggregates_and_a_hubs_renewals_cross_to_another_node_in_one_message_per_node()
    {
        await using var onA = await _a.ConnectAsync();
        await using var onB = await _b.ConnectAsync();
        foreach (var client in new[] { onA, onB })
        {
            await client.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols = Symbols }));
            foreach (var symbol in Symbols) await client.ExpectAsync(m => TestSocket.IsQuote(m, symbol));
        }
        // Both nodes hold entities: at once, or after a rebalance round (every 2 s) when every shard was allocated before
        // the second node's region had registered with the coordinator. A precondition, waited for.
        JsonElement cluster = default;
        await Eventually.HoldsAsync(async () =>
        {
            cluster = await ClusterNodes.AdminAsync(_a, "/admin/cluster");
            Assert.All(cluster.GetProperty("nodes").EnumerateArray(), n => Assert.True(n.GetProperty("entities").GetInt32() > 0, "both nodes hold entities"));
        }, TimeSpan.FromSeconds(30));
        var holder = cluster.GetProperty("upstream").GetProperty("node").GetString() == _a.AkkaAddress ? _a : _b;
        var other = holder == _a ? _b : _a;
        var (holderBefore, otherBefore) = (await SentAsync(holder), await SentAsync(other));

        // A renewal round of the other node's hub and of its entities' wants (every RenewInterval), then a fresh quote of
        // every symbol on both nodes.
        await Eventually.HoldsAsync(async () =>
        {
            var sent = await SentAsync(other);
            Assert.True(sent.GetValueOrDefault("IB") > otherBefore.GetValueOrDefault("IB"), string.Join(", ", sent));
            Assert.True(sent.GetValueOrDefault("WB") > otherBefore.GetValueOrDefault("WB"), string.Join(", ", sent));
        }, TimeSpan.FromSeconds(15));
        foreach (var client in new[] { onA, onB })
            foreach (var symbol in Symbols) await client.ExpectAsync(m => TestSocket.IsQuote(m, symbol));
        var (holderAfter, otherAfter) = (await SentAsync(holder), await SentAsync(other));

        // Aggregates for the other node's entities crossed in per-frame batches, none one by one.
        Assert.True(holderAfter.GetValueOrDefault("AB") > holderBefore.GetValueOrDefault("AB"), string.Join(", ", holderAfter));
        Assert.Equal(holderBefore.GetValueOrDefault("A"), holderAfter.GetValueOrDefault("A"));
        // The other node's hub renewed its leases on the holder's entities in batches, with no single interest message, and
        // its entities renewed their wants in batches, with no single want.
        Assert.Equal(otherBefore.GetValueOrDefault("I"), otherAfter.GetValueOrDefault("I"));
        Assert.Equal(otherBefore.GetValueOrDefault("W"), otherAfter.GetValueOrDefault("W"));
    }
}
