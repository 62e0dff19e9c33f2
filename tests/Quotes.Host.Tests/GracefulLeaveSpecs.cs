using System.Text.Json;
using Akka.Cluster;
using Quotes.Actors.Cluster;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// A node that does not hold the upstream leaves gracefully while the upstream sends its entities their aggregates in
/// batches to its inbox, asked. From the moment the holder sees it leaving it reads no batch (its shards are handed off,
/// and its inbox may stop before it is removed: a soak of real processes saw the holder ask the gone inbox, wait the ask's
/// 2 s and conflate an update of every symbol of the cluster), and every symbol streams on with nothing conflated.
/// One aggregate a second per symbol: a symbol whose entity moved is routed to its new home only after its next aggregate.
/// </summary>
public sealed class GracefulLeaveSpecs : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;
    private QuotesServer _a = null!;
    private QuotesServer _b = null!;

    public async Task InitializeAsync() =>
        (_cluster, _a, _b) = await ClusterNodes.StartPairAsync(productionClusterTimings: true, eventsPerSecond: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task When_a_node_without_the_upstream_leaves_the_upstream_neither_waits_for_it_nor_skips_an_aggregate()
    {
        var symbols = Enumerable.Range(0, 40).Select(i => $"GL{i:D2}").ToArray();
        Assert.Equal(_a.AkkaAddress, (await _a.UpstreamReportAsync()).Node);
        await using var onA = await _a.ConnectAsync();
        await onA.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols }));
        foreach (var symbol in symbols) await onA.ExpectAsync(m => TestSocket.IsQuote(m, symbol));
        // The upstream sends the other node's entities their aggregates in batches to its inbox, asked (AB).
        var abBefore = await SentAsync(_a, "AB");
        await Eventually.HoldsAsync(async () => Assert.True(await SentAsync(_a, "AB") > abBefore + 5), TimeSpan.FromSeconds(20));
        Assert.True((await ClusterNodes.AdminAsync(_a, "/admin/cluster")).GetProperty("nodes").EnumerateArray()
            .Single(n => n.GetProperty("address").GetString() == _b.AkkaAddress).GetProperty("entities").GetInt32() > 0, "B holds entities");
        var conflated = await ConflatedAsync();

        // Up, B reads batches; from the moment A sees it leaving, it does not (its region stopped before it left, and its
        // inbox may stop before it is removed), so nothing is asked of its inbox any more.
        var bAddress = Akka.Cluster.Cluster.Get(_b.System).SelfAddress;
        Assert.True(NodeBatches.Reads(_a.System, bAddress));
        _cluster.Nodes.Remove(_b);
        var leaving = _b.DisposeAsync().AsTask(); // leave, hand off, exit
        var seenLeaving = false;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((!leaving.IsCompleted || !seenLeaving) && DateTime.UtcNow < deadline)
        {
            var member = Akka.Cluster.Cluster.Get(_a.System).State.Members.FirstOrDefault(m => m.Address == bAddress);
            if (member is null) break; // removed
            if (member.Status is MemberStatus.Leaving or MemberStatus.Exiting)
            {
                seenLeaving = true;
                Assert.False(NodeBatches.Reads(_a.System, bAddress), $"B is {member.Status} and still reads batches");
            }
            await Task.Delay(5); // sampling a state that changes by itself: there is no event to wait for in this thread
        }
        await leaving;
        Assert.True(seenLeaving, "A never saw B leaving or exiting");
        await _cluster.WaitForUpMembersAsync(_a, 1);

        // Every symbol streams on, and the feed was never held back waiting for the gone inbox: nothing more was conflated.
        var from = onA.Received.Count;
        foreach (var symbol in symbols) await onA.ExpectAsync(m => TestSocket.IsQuote(m, symbol), TimeSpan.FromSeconds(20), from);
        Assert.Equal(conflated, await ConflatedAsync());
    }

    private async Task<long> ConflatedAsync() =>
        (await ClusterNodes.AdminAsync(_a, "/admin/cluster")).GetProperty("upstream").GetProperty("conflated").GetInt64();

    private static async Task<long> SentAsync(QuotesServer node, string kind) =>
        (await ClusterNodes.AdminAsync(node, "/admin/wire")).GetProperty("sent").EnumerateArray()
            .Where(k => k.GetProperty("kind").GetString() == kind).Select(k => k.GetProperty("messages").GetInt64()).FirstOrDefault();
}
