using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Sessions;
using Quotes.Contracts;
using Quotes.Host.WebSockets;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// A key's symbol budget is the cluster's, not each node's: connected to two nodes, a key holds at most
/// <c>Limits:MaxSymbolsPerKey</c> distinct symbols in all (a symbol held on both counts once) and takes on at most
/// <c>Limits:NewSymbolsPerKeyPerMinute</c> new ones a minute in all; what one node lets go frees budget on the other. Two real
/// nodes, real remoting, the views spread by Akka.DistributedData.
/// </summary>
public sealed class ClusterKeyBudgetSpecs : IAsyncLifetime
{
    private const string ChurnKey = "churn-client-key-0002";
    private const string CrashKey = "crash-client-key-0003";
    private ClusterNodes _cluster = null!;
    private QuotesServer _a = null!;
    private QuotesServer _b = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ClusterNodes.StartSimulatorAsync(productionClusterTimings: true); // the crash spec: removed on the hosts' own timers
        _a = await _cluster.AddNodeWithAsync(Limits);
        _b = await _cluster.AddNodeWithAsync(Limits, seed: _a.AkkaAddress);
        await _cluster.WaitForUpMembersAsync(_a, 2);
        await _a.WaitUntilReadyAsync();
        await _b.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Dictionary<string, string?> Limits => new()
    {
        ["Auth:ApiKeys:1"] = ChurnKey,
        ["Auth:ApiKeys:2"] = CrashKey,
        ["Limits:MaxSymbolsPerKey"] = "6",
        ["Limits:NewSymbolsPerKeyPerMinute"] = "10",
    };

    private static async Task<TestSocket> ConnectAsync(QuotesServer node, string key)
    {
        var socket = await TestSocket.ConnectAsync(node.SocketUri(key: key));
        await socket.ExpectAsync("type", "status");
        return socket;
    }

    private static async Task<JsonElement> SendAsync(TestSocket socket, string type, string[] symbols)
    {
        var id = Guid.NewGuid().ToString("N");
        await socket.SendAsync(JsonSerializer.Serialize(new { type, symbols, id }));
        return await socket.ExpectAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String && i.GetString() == id);
    }

    /// <summary>Waits until <paramref name="node"/>'s view of the key's holdings across the cluster is <paramref name="held"/>.</summary>
    private static async Task NodeSeesAsync(QuotesServer node, string key, int held)
    {
        var budget = node.Services.GetRequiredService<KeySymbolBudget>();
        await Eventually.HoldsAsync(() => Assert.Equal(held, budget.HeldInCluster(ConnectionLimiter.KeyId(key))),
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_key_on_two_nodes_holds_its_cap_once_in_all_and_what_one_node_lets_go_frees_the_other()
    {
        await using var onA = await ConnectAsync(_a, QuotesServer.ClientKey);
        await using var onB = await ConnectAsync(_b, QuotesServer.ClientKey);
        Assert.Equal("subscribed", (await SendAsync(onA, "subscribe", ["KA0", "KA1", "KA2", "KA3"])).GetProperty("type").GetString());
        await NodeSeesAsync(_b, QuotesServer.ClientKey, 4);

        // On B: the symbols A holds cost nothing, two new ones fill the cap of 6, the seventh is refused on either node.
        Assert.Equal("subscribed", (await SendAsync(onB, "subscribe", ["KA0", "KA1"])).GetProperty("type").GetString());
        Assert.Equal("subscribed", (await SendAsync(onB, "subscribe", ["KB0", "KB1"])).GetProperty("type").GetString());
        var refused = await SendAsync(onB, "subscribe", ["KB2"]);
        Assert.Equal(ErrorCodes.Capacity, refused.GetProperty("code").GetString());
        Assert.Contains("at most 6 distinct symbols at once across the cluster (Limits:MaxSymbolsPerKey); it holds 6", refused.GetProperty("message").GetString());
        await NodeSeesAsync(_a, QuotesServer.ClientKey, 6);
        Assert.Equal(ErrorCodes.Capacity, (await SendAsync(onA, "subscribe", ["KB3"])).GetProperty("code").GetString());

        // A lets two go that B does not hold: B may take two more.
        Assert.Equal("unsubscribed", (await SendAsync(onA, "unsubscribe", ["KA2", "KA3"])).GetProperty("type").GetString());
        await NodeSeesAsync(_b, QuotesServer.ClientKey, 4);
        Assert.Equal("subscribed", (await SendAsync(onB, "subscribe", ["KB2", "KB3"])).GetProperty("type").GetString());
        await ExpectLiveAsync(onB, "KB3");
    }

    [Fact]
    public async Task New_symbols_taken_on_one_node_spend_the_keys_churn_budget_on_the_other_and_a_closed_connection_frees_its_symbols()
    {
        await using (var onA = await ConnectAsync(_a, ChurnKey))
        {
            Assert.Equal("subscribed", (await SendAsync(onA, "subscribe", ["CA0", "CA1", "CA2", "CA3", "CA4", "CA5"])).GetProperty("type").GetString());
            await NodeSeesAsync(_b, ChurnKey, 6);
            await onA.CloseAsync();
        }
        // The connection closed: its symbols are free everywhere (B may take on four, which its cap of 6 would refuse
        // otherwise), but the six new ones it took stay spent for the minute.
        await NodeSeesAsync(_b, ChurnKey, 0);

        await using var onB = await ConnectAsync(_b, ChurnKey);
        // 6 spent on A and 6 more would be 12 of 10 (the bucket refills one every 6 s: this holds for the next 12 s).
        var refused = await SendAsync(onB, "subscribe", ["CB0", "CB1", "CB2", "CB3", "CB4", "CB5"]);
        Assert.Equal(ErrorCodes.Capacity, refused.GetProperty("code").GetString());
        Assert.Contains("at most 10 new symbols a minute across the cluster (Limits:NewSymbolsPerKeyPerMinute)", refused.GetProperty("message").GetString());
        Assert.Equal("subscribed", (await SendAsync(onB, "subscribe", ["CB0", "CB1", "CB2", "CB3"])).GetProperty("type").GetString());
        await ExpectLiveAsync(onB, "CB3");
    }

    [Fact]
    public async Task A_crashed_node_holds_nothing_once_the_cluster_removed_it()
    {
        // A third node, a process of its own, so that it can die without letting go of anything.
        var settings = _cluster.Settings(seed: null).Where(s => s.Key != "Akka:Port").ToDictionary();
        foreach (var (key, value) in Limits) settings[key] = value;
        await using var doomed = NodeProcess.Start(settings, seed: _a.AkkaAddress);
        await _cluster.WaitForUpMembersAsync(_a, 3);
        var socketUri = new UriBuilder(doomed.HttpUrl) { Scheme = "ws", Path = "/ws", Query = "apiKey=" + CrashKey }.Uri;
        await Eventually.HoldsAsync(async () => await (await TestSocket.ConnectAsync(socketUri)).DisposeAsync(), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        var onDoomed = await TestSocket.ConnectAsync(socketUri);
        await onDoomed.ExpectAsync("type", "status");
        Assert.Equal("subscribed", (await SendAsync(onDoomed, "subscribe", ["XA0", "XA1", "XA2"])).GetProperty("type").GetString());
        await NodeSeesAsync(_b, CrashKey, 3);

        doomed.Kill();
        onDoomed.Abort();
        await onDoomed.DisposeAsync();

        // Nothing was released; once the crashed node is downed and removed, its entry goes, and the key's budget with it.
        var budget = _b.Services.GetRequiredService<KeySymbolBudget>();
        await Eventually.HoldsAsync(() => Assert.Equal(0, budget.HeldInCluster(ConnectionLimiter.KeyId(CrashKey))), TimeSpan.FromSeconds(40),
            TimeSpan.FromMilliseconds(100));
        await using var onB = await ConnectAsync(_b, CrashKey);
        Assert.Equal("subscribed", (await SendAsync(onB, "subscribe", ["XB0", "XB1", "XB2", "XB3", "XB4", "XB5"])).GetProperty("type").GetString());
    }

    private static async Task ExpectLiveAsync(TestSocket socket, string symbol)
    {
        var from = socket.Received.Count;
        await socket.ExpectAsync(m => TestSocket.IsQuote(m, symbol) && !m.TryGetProperty("snapshot", out _), from: from);
    }
}
