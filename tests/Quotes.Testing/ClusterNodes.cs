using System.Text.Json;
using Akka.Cluster;
using Quotes.Simulator;
using Quotes.Testing;

namespace Quotes.Testing;

/// <summary>
/// Several AkkaQuotes nodes in this process on loopback ports, one simulator upstream. Messages between nodes go through real
/// remoting, so they are serialized for real. (<c>serialize-messages = on</c> cannot be used: Akka 1.5.73's own DData
/// <c>ReadRepair</c> fails under it.)
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0001";

    private readonly bool _productionClusterTimings;

    private ClusterNodes(RunningSimulator simulator, bool productionClusterTimings) =>
        (Simulator, _productionClusterTimings) = (simulator, productionClusterTimings);

    public RunningSimulator Simulator { get; }
    public List<QuotesServer> Nodes { get; } = [];

    /// <param name="productionClusterTimings">
    /// the nodes run the host's own leader and singleton timers rather than a test host's quick leave
    /// (<see cref="TestTimings.QuickLeaveHocon"/>): for specs that measure how fast the cluster recovers from a crash or a leave
    /// </param>
    /// <param name="eventsPerSecond">aggregates per second per symbol</param>
    public static async Task<ClusterNodes> StartSimulatorAsync(bool productionClusterTimings = false, int eventsPerSecond = 10) =>
        new(await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = eventsPerSecond }),
            productionClusterTimings);

    /// <summary>What every test node is configured with: the simulator as its upstream, the test keys.</summary>
    public static Dictionary<string, string?> NodeSettings(RunningSimulator simulator) => new()
    {
        ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
        ["Polygon:WebSocketUrl"] = simulator.WebSocketUrl.ToString(),
        ["Polygon:RestUrl"] = simulator.HttpUrl.ToString(),
        ["Polygon:Feed"] = "simulator", // declared, as scripts/cluster-local.sh does: the nodes need not find it out (and warn)
        ["Admin:ApiKey"] = AdminKey,
        ["Auth:ApiKeys:0"] = QuotesServer.ClientKey,
    };

    public Dictionary<string, string?> Settings(string? seed)
    {
        var settings = NodeSettings(Simulator);
        settings["Akka:Hostname"] = "127.0.0.1";
        settings["Akka:PublicHost"] = "127.0.0.1";
        settings["Akka:Port"] = "0";
        if (seed is not null) settings["Akka:Seeds:0"] = seed;
        return settings;
    }

    /// <summary>Starts a node; the first one seeds the cluster, the others join it.</summary>
    public async Task<QuotesServer> AddNodeAsync(string? seed = null, int? shards = null)
    {
        seed ??= Nodes.Count > 0 ? Nodes[0].AkkaAddress : null;
        var settings = Settings(seed);
        if (shards is { } count) settings["Akka:Shards"] = count.ToString();
        var node = await QuotesServer.StartHostAsync(settings, Simulator, waitUntilReady: false, productionClusterTimings: _productionClusterTimings);
        Nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Two nodes (of <paramref name="shards"/> shards, or the hosts' own number) on a simulator, both Up in both views and
    /// ready; the other parameters as <see cref="StartSimulatorAsync"/>'s.
    /// </summary>
    public static async Task<(ClusterNodes Cluster, QuotesServer A, QuotesServer B)> StartPairAsync(int? shards = null,
        bool productionClusterTimings = false, int eventsPerSecond = 10)
    {
        var cluster = await StartSimulatorAsync(productionClusterTimings, eventsPerSecond);
        var a = await cluster.AddNodeAsync(shards: shards);
        var b = await cluster.AddNodeAsync(shards: shards);
        await cluster.WaitForUpMembersAsync(a, 2);
        await cluster.WaitForUpMembersAsync(b, 2);
        await a.WaitUntilReadyAsync();
        await b.WaitUntilReadyAsync();
        return (cluster, a, b);
    }

    /// <summary>Starts a node with <paramref name="extra"/> settings on top of the usual ones.</summary>
    public async Task<QuotesServer> AddNodeWithAsync(IDictionary<string, string?> extra, string? seed = null)
    {
        var settings = Settings(seed);
        foreach (var (key, value) in extra) settings[key] = value;
        var node = await QuotesServer.StartHostAsync(settings, Simulator, waitUntilReady: false, productionClusterTimings: _productionClusterTimings);
        Nodes.Add(node);
        return node;
    }

    /// <summary>The <c>data</c> of an admin endpoint of <paramref name="node"/>, read with the admin key.</summary>
    public static async Task<JsonElement> AdminAsync(QuotesServer node, string path)
    {
        using var http = node.CreateHttpClient(AdminKey);
        using var doc = JsonDocument.Parse(await http.GetStringAsync(path));
        return doc.RootElement.GetProperty("data").Clone();
    }

    public async Task WaitForUpMembersAsync(QuotesServer observer, int count) =>
        await Eventually.HoldsAsync(() => Xunit.Assert.Equal(count,
            Cluster.Get(observer.System).State.Members.Count(m => m.Status == MemberStatus.Up)), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

    public async ValueTask DisposeAsync()
    {
        // Newest first: parallel or oldest-first stops wait out the cluster-exiting timeout (measured with the host's own
        // timings: about 10 s against 1 s).
        for (var i = Nodes.Count - 1; i >= 0; i--) await Nodes[i].DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
