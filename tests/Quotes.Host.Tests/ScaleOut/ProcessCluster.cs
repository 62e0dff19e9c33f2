using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.ScaleOut;

/// <summary>
/// A cluster of real AkkaQuotes node processes on loopback, with production timings (leases, failure detection, downing),
/// fed by one simulator (1 aggregate per second per symbol unless a spec asks for more), and a clock shared by every client
/// stream of the spec.
/// Nodes are started, killed (SIGKILL) and stopped (SIGTERM) the way an operator or an orchestrator does.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<(string Name, NodeProcess Node)> _nodes = [];

    private ProcessCluster(RunningSimulator simulator) => Simulator = simulator;

    public RunningSimulator Simulator { get; }
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public static async Task<ProcessCluster> StartAsync(double eventsPerSecond = 1) =>
        new(await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = eventsPerSecond }));

    /// <summary>Starts a node process; without <paramref name="seed"/> it forms the cluster, otherwise it joins through it.</summary>
    public NodeProcess Start(string name, NodeProcess? seed = null)
    {
        var node = NodeProcess.Start(ClusterNodes.NodeSettings(Simulator), seed?.AkkaAddress);
        _nodes.Add((name, node));
        return node;
    }

    public string NameOf(NodeProcess node) => _nodes.Single(n => n.Node == node).Name;

    public Task<QuoteStream> OpenStreamAsync(NodeProcess node, IReadOnlyList<string> symbols) =>
        QuoteStream.OpenAsync(NameOf(node), node.HttpUrl, QuotesServer.ClientKey, symbols, Clock);

    /// <summary><c>GET /admin/cluster</c> on <paramref name="node"/>, as an operator reads it.</summary>
    public static async Task<ClusterReport> AdminAsync(NodeProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.HttpUrl, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClusterNodes.AdminKey);
        var body = await http.GetFromJsonAsync("/admin/cluster", QuotesJsonContext.Default.RestSuccessClusterReport);
        return body!.Data;
    }

    public static Task WaitUntilReadyAsync(NodeProcess node) =>
        HostReadiness.WaitAsync(node.HttpUrl, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));

    /// <summary>Waits until <paramref name="observer"/> sees exactly <paramref name="members"/> as the Up members.</summary>
    public static async Task WaitForMembersAsync(NodeProcess observer, params NodeProcess[] members) =>
        await Eventually.HoldsAsync(async () =>
        {
            var report = await AdminAsync(observer);
            Assert.Equal(members.Select(m => m.AkkaAddress).Order(), report.Members.Where(m => m.Status == "Up").Select(m => m.Address).Order());
            Assert.Equal(members.Length, report.Members.Count);
        }, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));

    /// <summary>Waits until <paramref name="joined"/> holds its share of the shards in use: rebalancing is over.</summary>
    public static async Task WaitForShareAsync(NodeProcess observer, NodeProcess joined) =>
        await Eventually.HoldsAsync(async () =>
        {
            var nodes = (await AdminAsync(observer)).Nodes;
            var share = nodes.Sum(n => n.Shards) / nodes.Count;
            Assert.True(nodes.Single(n => n.Address == joined.AkkaAddress).Shards >= share,
                "shards per node: " + string.Join(", ", nodes.Select(n => $"{n.Address} {n.Shards}")));
        }, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500));

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var (_, node) in _nodes) await node.DisposeAsync();
            await Simulator.DisposeAsync();
        }
        finally
        {
            KeepLogs(); // after the nodes stopped: their shutdown output included
        }
    }

    /// <summary>
    /// With <c>QUOTES_NODE_LOGS</c> set (test.sh sets it to its results directory), every node's output is kept there, one
    /// file per node under a folder per cluster: what a failed cluster spec's nodes said, after the run.
    /// </summary>
    private void KeepLogs()
    {
        if (Environment.GetEnvironmentVariable("QUOTES_NODE_LOGS") is not { Length: > 0 } root || _nodes.Count == 0) return;
        try
        {
            var dir = Path.Combine(root, $"{DateTime.UtcNow:HHmmss}-cluster-{Environment.ProcessId}-{Interlocked.Increment(ref _kept)}");
            Directory.CreateDirectory(dir);
            foreach (var (name, node) in _nodes) File.WriteAllLines(Path.Combine(dir, name + ".log"), node.Output.ToList());
        }
        catch (IOException)
        {
            // Only a post-mortem aid: a full disk must not fail the spec.
        }
    }

    private static int _kept;
}
