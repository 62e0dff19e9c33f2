using Akka.Cluster;
using Quotes.Simulator;
using Quotes.Testing;

namespace Quotes.Host.Tests;

/// <summary>
/// Several AkkaQuotes nodes in this process on loopback ports, one simulator upstream. Messages between nodes go through real
/// remoting, so they are serialized for real. (<c>serialize-messages = on</c> cannot be used: Akka 1.5.73's own DData
/// <c>ReadRepair</c> fails under it.)
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private ClusterNodes(RunningSimulator simulator) => Simulator = simulator;

    public RunningSimulator Simulator { get; }
    public List<QuotesServer> Nodes { get; } = [];

    public static async Task<ClusterNodes> StartSimulatorAsync() =>
        new(await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10 }));

    public Dictionary<string, string?> Settings(string? seed)
    {
        var settings = new Dictionary<string, string?>
        {
        ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
        ["Polygon:WebSocketUrl"] = Simulator.WebSocketUrl.ToString(),
        ["Polygon:RestUrl"] = Simulator.HttpUrl.ToString(),
        ["Admin:ApiKey"] = AdminKey,
        ["Auth:ApiKeys:0"] = QuotesServer.ClientKey,
        ["Akka:Hostname"] = "127.0.0.1",
        ["Akka:PublicHost"] = "127.0.0.1",
        ["Akka:Port"] = "0",
        };
        if (seed is not null) settings["Akka:Seeds:0"] = seed;
        return settings;
    }

    /// <summary>Starts a node; the first one seeds the cluster, the others join it.</summary>
    public async Task<QuotesServer> AddNodeAsync(string? seed = null)
    {
        seed ??= Nodes.Count > 0 ? Nodes[0].AkkaAddress : null;
        var node = await QuotesServer.StartHostAsync(Settings(seed), Simulator, waitUntilReady: false);
        Nodes.Add(node);
        return node;
    }

    public async Task WaitForUpMembersAsync(QuotesServer observer, int count) =>
        await Eventually.HoldsAsync(() => Xunit.Assert.Equal(count,
            Cluster.Get(observer.System).State.Members.Count(m => m.Status == MemberStatus.Up)), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

    public async ValueTask DisposeAsync()
    {
        // Newest first: parallel or oldest-first stops wait out the cluster-exiting timeout (AKKA-NOTES §4.4).
        for (var i = Nodes.Count - 1; i >= 0; i--) await Nodes[i].DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
