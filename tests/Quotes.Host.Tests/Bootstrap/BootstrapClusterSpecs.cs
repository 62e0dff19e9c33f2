using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Newtonsoft.Json;
using Quotes.Host.Tests.ScaleOut;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Bootstrap;

/// <summary>
/// Real node processes on loopback with no seed list find each other through cluster bootstrap and configuration
/// discovery: each serves its view of the cluster on a management port, and the list of those ports is all they share.
/// </summary>
public sealed class BootstrapClusterSpecs
{
    [Fact]
    public async Task Three_nodes_with_no_seed_list_form_one_cluster_through_bootstrap_with_configuration_discovery()
    {
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 1 });
        var management = Enumerable.Range(0, 3).Select(_ => NodeProcess.FreePort()).ToArray();
        var nodes = new List<NodeProcess>();
        try
        {
            foreach (var port in management) nodes.Add(NodeProcess.StartWithoutSeeds(Settings(simulator, management, port)));

            // Ready means Up in a cluster (and the upstream connected); then every node sees all three Up.
            foreach (var node in nodes) await ProcessCluster.WaitUntilReadyAsync(node);
            foreach (var node in nodes) await ProcessCluster.WaitForMembersAsync(node, [.. nodes]);

            // Nobody was given a seed, and exactly one node formed the cluster that the others then joined.
            Assert.All(nodes, n => Assert.Contains(n.Output, line => line.Contains("No seed-nodes configured")));
            Assert.Single(nodes, n => n.Output.Any(line => line.Contains("Initiating new cluster, self-joining")));

            // Each management port answers bootstrap's own probe with the whole cluster, read as the probe reads it.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            for (var i = 0; i < nodes.Count; i++)
            {
                var body = await http.GetStringAsync($"http://127.0.0.1:{management[i]}/bootstrap/seed-nodes");
                var seeds = JsonConvert.DeserializeObject<HttpBootstrapJsonProtocol.SeedNodes>(body)!;
                Assert.Equal(nodes[i].AkkaAddress, seeds.SelfNode.ToString());
                Assert.Equal(nodes.Select(n => n.AkkaAddress).Order(), seeds.Nodes.Select(m => m.Node.ToString()).Order());
                Assert.All(seeds.Nodes, m => Assert.Equal(MemberStatus.Up, m.Status));
            }

            // A healthy start is quiet on every node: an operator's alert on warnings must not fire (the cluster passed
            // through two members on the way to three, which is not worth a warning).
            foreach (var node in nodes)
                Assert.DoesNotContain(node.Output, line => line.Contains(" WRN]") || line.Contains(" ERR]") || line.Contains(" FTL]"));

            // Only that route: the node's own endpoints are not on the management port.
            using var health = await http.GetAsync($"http://127.0.0.1:{management[0]}/health/live");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, health.StatusCode);
            using var live = await http.GetAsync(new Uri(nodes[0].HttpUrl, "/health/live"));
            Assert.True(live.IsSuccessStatusCode);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>The simulator, the test keys, and bootstrap: config discovery over every node's management port, timings of a test.</summary>
    private static Dictionary<string, string?> Settings(RunningSimulator simulator, int[] management, int own)
    {
        var settings = ClusterNodes.NodeSettings(simulator);
        settings["Akka:Bootstrap:Discovery"] = "config";
        settings["Akka:Bootstrap:ManagementPort"] = own.ToString();
        for (var i = 0; i < management.Length; i++) settings[$"Akka:Bootstrap:Endpoints:{i}"] = $"127.0.0.1:{management[i]}";
        settings["Akka:Bootstrap:RequiredContactPoints"] = management.Length.ToString();
        settings["Akka:Bootstrap:StableMargin"] = "00:00:01";
        return settings;
    }
}
