using Quotes.Host.Tests.ScaleOut;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// A real node process, started and stopped the way an operator does: a healthy start and stop log no warning (an alert
/// on warnings must not fire), and the node's and its clients' lifecycle is in the log in a form one can grep.
/// </summary>
public sealed class QuietStartSpecs
{
    [Fact]
    public async Task A_healthy_node_starts_and_stops_without_a_warning_and_logs_its_lifecycle()
    {
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 1 });
        var settings = ClusterNodes.NodeSettings(simulator);
        settings["Quotes:UpstreamLinger"] = "00:00:00";
        settings["Quotes:RenewInterval"] = "00:00:00.500";
        settings["Quotes:LeaseDuration"] = "00:00:03";
        // Client connects and disconnects are Debug lines; an operator turns them on for the socket category alone.
        settings["Serilog:MinimumLevel:Override:Quotes.Host.WebSockets.SocketPump"] = "Debug";
        await using var node = NodeProcess.Start(settings);

        await ProcessCluster.WaitUntilReadyAsync(node);
        // The proxy has found the singleton: Akka's false warning came before this line, in the same second.
        await Eventually.HoldsAsync(() => Assert.Contains(node.Output, l => l.Contains("Singleton identified at [akka://quotes/user/polygon-upstream")),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        await using (var client = await TestSocket.ConnectAsync(new Uri(node.HttpUrl.ToString().Replace("http://", "ws://") + "ws?apiKey=" + QuotesServer.ClientKey)))
        {
            await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
            await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"), TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => Assert.Contains(node.Output, l => l.Contains("INF] Upstream symbols added (1): AAPL;")),
                TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
            await client.SendAsync("""{"type":"unsubscribe","symbols":["AAPL"]}""");
            await Eventually.HoldsAsync(() => Assert.Contains(node.Output, l => l.Contains("INF] Upstream symbols removed (1): AAPL;")),
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            await client.CloseAsync();
        }
        await Eventually.HoldsAsync(() => Assert.Contains(node.Output, l => l.Contains("DBG] Client disconnected from /ws")),
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        var connected = Assert.Single(node.Output, l => l.Contains("DBG] Client connected to /ws from 127.0.0.1:"));
        Assert.Contains("with key #0", connected);
        Assert.DoesNotContain(QuotesServer.ClientKey, string.Join("\n", node.Output.Where(l => l.Contains("DBG]"))));

        node.Terminate();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(exit.Token);
        Assert.Equal(0, node.ExitCode);

        var loud = node.Output.Where(l => l.Contains(" WRN]") || l.Contains(" ERR]") || l.Contains(" FTL]")).ToList();
        Assert.True(loud.Count == 0, "a healthy start and stop logged:\n" + string.Join("\n", loud));
        Assert.Contains(node.Output, l => l.Contains("Application started"));
    }
}
