using System.Diagnostics;
using System.Text.Json;
using Akka.Cluster;
using Quotes.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Fail-over after a hard crash: the node holding the upstream is SIGKILLed; clients on the surviving majority get quotes
/// again within 15 s without doing anything (ARCHITECTURE.md: leases heal the subscriptions).
/// </summary>
public sealed class NodeCrashSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_upstream_node_costs_survivors_at_most_15_seconds_of_quotes()
    {
        await using var cluster = await ClusterNodes.StartSimulatorAsync();
        // The process starts first, so it is the oldest member and holds the upstream singleton.
        await using var doomed = NodeProcess.Start(cluster.Settings(seed: null).Where(s => s.Key != "Akka:Port").ToDictionary());
        var b = await cluster.AddNodeAsync(doomed.AkkaAddress);
        var c = await cluster.AddNodeAsync(doomed.AkkaAddress);
        await cluster.WaitForUpMembersAsync(b, 3);
        await b.WaitUntilReadyAsync();
        await Eventually.HoldsAsync(async () => Assert.Equal(doomed.AkkaAddress, (await b.UpstreamReportAsync()).Node), TimeSpan.FromSeconds(30));

        await using var client = await b.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AMZN","META"]}""");
        await client.ExpectAsync(m => m.GetProperty("type").GetString() == "quote");

        var killedAt = Stopwatch.StartNew();
        var killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        doomed.Kill();

        // A quote for an aggregate that ended after the kill can only come from the new upstream.
        await client.ExpectAsync(m => m.GetProperty("type").GetString() == "quote" && m.GetProperty("timestamp").GetInt64() > killedAtMs,
            TimeSpan.FromSeconds(30), client.Received.Count);
        var gap = killedAt.Elapsed;
        output.WriteLine($"quotes resumed {gap.TotalSeconds:F1} s after SIGKILL of the upstream node at {DateTimeOffset.FromUnixTimeMilliseconds(killedAtMs):HH:mm:ss.fff}");
        // Akka logs through the process-wide Serilog logger, which the newest node (c) configured: its capture has them all.
        if (gap > TimeSpan.FromSeconds(15))
            foreach (var line in c.Logs.Lines.Where(l => l.Contains("nreachable") || l.Contains("SBR") || l.Contains("own") || l.Contains("Upstream") || l.Contains("ingleton") || l.Contains("Removed") || l.Contains("hard")).TakeLast(40))
                output.WriteLine(line.Length > 300 ? line[..300] : line);

        Assert.True(gap <= TimeSpan.FromSeconds(15), $"quotes resumed only after {gap.TotalSeconds:F1} s");
        Assert.Equal(2, Cluster.Get(b.System).State.Members.Count(m => m.Status == MemberStatus.Up));
        Assert.Contains((await b.UpstreamReportAsync()).Node, new[] { b.AkkaAddress, c.AkkaAddress });
        Assert.Equal(1, cluster.Simulator.Market.MaxConcurrentConnections);
    }
}
