using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Two nodes, one upstream, clients on either node; every message serialized as if it crossed the wire.</summary>
public sealed class ClusterSpecs : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;
    private QuotesServer _a = null!;
    private QuotesServer _b = null!;

    // The upstream's graceful hand-over on the hosts' own timers.
    public async Task InitializeAsync() => (_cluster, _a, _b) = await ClusterNodes.StartPairAsync(productionClusterTimings: true);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static async Task<TestSocket> SubscribeAsync(QuotesServer node, string symbol)
    {
        var client = await node.ConnectAsync();
        await client.SendAsync($$"""{"type":"subscribe","symbols":["{{symbol}}"]}""");
        await client.ExpectAsync(m => TestSocket.IsQuote(m, symbol));
        return client;
    }

    [Fact]
    public async Task Clients_on_both_nodes_share_one_upstream_and_each_node_holds_one_interest()
    {
        var clients = new List<TestSocket>();
        for (var i = 0; i < 3; i++) clients.Add(await SubscribeAsync(_a, "AAPL"));
        for (var i = 0; i < 3; i++) clients.Add(await SubscribeAsync(_b, "AAPL"));
        // A client's first quote can be the REST snapshot: a live quote on every client shows the upstream subscribed.
        foreach (var client in clients)
            await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL") && !(m.TryGetProperty("snapshot", out var snapshot) && snapshot.ValueKind == JsonValueKind.True));

        var region = _b.Services.GetRequiredService<IRequiredActor<SymbolActor>>().ActorRef;
        var interest = await region.Ask<SymbolProtocol.InterestReport>(new SymbolProtocol.GetInterest("AAPL"), TimeSpan.FromSeconds(5));

        Assert.Equal(2, interest.Hubs.Count); // one per node, never one per client
        Assert.Equal(1, _cluster.Simulator.Market.Report().ConnectionsOpened);
        Assert.Equal(1, _cluster.Simulator.Market.MaxConcurrentConnections);
        Assert.Equal(1, _cluster.Simulator.Market.Report().Actions.Count(a => a == "subscribe A.AAPL"));
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task The_admin_endpoint_shows_members_shards_the_upstream_and_clients_per_node()
    {
        await using var client = await SubscribeAsync(_b, "MSFT");
        // The client's first quote can be the REST snapshot: wait until the upstream has really subscribed the symbol.
        await Quotes.Testing.Eventually.HoldsAsync(() =>
            Assert.Contains(_cluster.Simulator.Market.Report().Actions, a => a.StartsWith("subscribe", StringComparison.Ordinal) && a.Contains("A.MSFT")));
        using var http = _a.CreateHttpClient(ClusterNodes.AdminKey);

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/admin/cluster"));
        var data = doc.RootElement.GetProperty("data");

        Assert.Equal(2, data.GetProperty("members").GetArrayLength());
        Assert.All(data.GetProperty("members").EnumerateArray(), m => Assert.Equal("Up", m.GetProperty("status").GetString()));
        Assert.Equal(_a.AkkaAddress, data.GetProperty("upstream").GetProperty("node").GetString());
        Assert.Equal("connected", data.GetProperty("upstream").GetProperty("state").GetString());
        var nodeB = data.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("address").GetString() == _b.AkkaAddress);
        var nodeA = data.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("address").GetString() == _a.AkkaAddress);
        Assert.Equal(1, nodeB.GetProperty("clients").GetInt32());
        Assert.True(data.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("entities").GetInt32()) >= 1);

        // Per node: symbols held, subscriptions, the outbox backlog and the slow consumers closed (SocketCounters), and which
        // node holds the upstream, whose subscribed symbol count the upstream part gives.
        Assert.Equal(1, nodeB.GetProperty("symbols").GetInt32());
        Assert.Equal(1, nodeB.GetProperty("subscriptions").GetInt32());
        Assert.Equal(0, nodeA.GetProperty("symbols").GetInt32());
        foreach (var node in new[] { nodeA, nodeB })
        {
            var backlog = node.GetProperty("backlog");
            Assert.InRange(backlog.GetProperty("pendingQuotes").GetInt64(), 0, 1);
            Assert.InRange(backlog.GetProperty("pendingControl").GetInt64(), 0, 5);
            Assert.True(backlog.TryGetProperty("largestOutbox", out _) && backlog.TryGetProperty("conflated", out _));
            Assert.Equal(0, node.GetProperty("slowConsumersClosed").GetInt64());
        }
        Assert.True(nodeA.GetProperty("holdsUpstream").GetBoolean());
        Assert.False(nodeB.GetProperty("holdsUpstream").GetBoolean());
        Assert.True(data.GetProperty("upstream").GetProperty("subscribed").GetInt32() >= 1);
        // What the upstream pipeline skipped and conflated since the holder took it: nothing on a clean feed that keeps up.
        Assert.Equal(0, data.GetProperty("upstream").GetProperty("conflated").GetInt64());
        Assert.Equal(0, data.GetProperty("upstream").GetProperty("malformed").GetInt64());

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/cluster")).StatusCode);
    }

    [Fact]
    public async Task When_the_upstream_node_leaves_gracefully_its_clients_get_1001_and_the_others_keep_their_quotes()
    {
        await using var onA = await SubscribeAsync(_a, "NVDA");
        await using var onB = await SubscribeAsync(_b, "NVDA");

        var seqBefore = onB.Received.Where(m => TestSocket.IsQuote(m, "NVDA")).Max(m => m.GetProperty("seq").GetInt64());
        var leaving = _cluster.Nodes[0];
        _cluster.Nodes.RemoveAt(0);
        var stop = leaving.DisposeAsync().AsTask();

        // The leaving node's client is told to reconnect elsewhere.
        while (await onA.ReceiveFrameAsync(TimeSpan.FromSeconds(30)) is not null) { }
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, onA.CloseStatus);
        await stop;

        // The survivor's client never resubscribed and gets quotes again from the moved upstream.
        var from = onB.Received.Count;
        var quote = await onB.ExpectAsync(m => TestSocket.IsQuote(m, "NVDA") && m.GetProperty("timestamp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 2_000,
            TimeSpan.FromSeconds(20), from);
        Assert.True(quote.GetProperty("seq").GetInt64() > seqBefore, "seq continues after the upstream and shards moved");
        Assert.Equal(1, _cluster.Simulator.Market.MaxConcurrentConnections);
        Assert.Equal(_b.AkkaAddress, (await _b.UpstreamReportAsync()).Node);
    }
}

/// <summary>Admin endpoints stay shut on a node without an admin key.</summary>
public sealed class AdminDisabledSpecs
{
    [Fact]
    public async Task Without_an_admin_key_admin_endpoints_are_disabled()
    {
        await using var server = await QuotesServer.StartAsync();
        using var http = server.CreateHttpClient(QuotesServer.ClientKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/admin/cluster")).StatusCode);
    }
}
