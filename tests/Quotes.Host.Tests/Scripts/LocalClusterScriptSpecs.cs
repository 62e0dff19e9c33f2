using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Scripts;

/// <summary>
/// <c>scripts/cluster-local.sh</c> as a person runs it: <c>start 3</c>, a real WebSocket client streaming on every node,
/// <c>status</c>, <c>stop</c>, and no process of the run left behind. Ports and the state directory come from the
/// environment so the run collides neither with a local cluster of the developer's nor with other specs.
/// </summary>
public sealed partial class LocalClusterScriptSpecs
{
    [Fact]
    public async Task Start_three_then_every_node_streams_status_names_the_upstream_holder_and_stop_leaves_no_process()
    {
        var state = Directory.CreateTempSubdirectory("cluster-local").FullName;
        var remotingBase = FreeRange(3);
        var environment = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = state,
            ["SIM_PORT"] = NodeProcess.FreePort().ToString(),
            ["HTTP_BASE"] = FreeRange(3).ToString(),
            ["REMOTING_BASE"] = remotingBase.ToString(),
            ["MANAGEMENT_BASE"] = FreeRange(3).ToString(),
        };
        // The tests run on a Release build, which is what the script runs: no build inside a spec.
        if (AppContext.BaseDirectory.Contains("/Release/")) environment["NO_BUILD"] = "1";
        var pids = new List<int>();
        try
        {
            var start = await RunAsync(environment, "start", "3");
            Assert.True(start.ExitCode == 0, start.Output);
            pids = File.ReadAllLines(Path.Combine(state, "pids")).Select(line => int.Parse(line.Split(' ')[1])).ToList();
            Assert.Equal(4, pids.Count); // the simulator and three nodes
            Assert.All(pids, pid => Assert.True(IsOurs(pid), $"pid {pid} is not running"));

            // What it prints: every node's dashboard and WebSocket URL, and the keys.
            var dashboards = Dashboard().Matches(start.Output).Select(m => new Uri(m.Groups[1].Value)).ToList();
            var sockets = WebSocket().Matches(start.Output).Select(m => new Uri(m.Groups[1].Value)).ToList();
            var adminKey = AdminKey().Match(start.Output).Groups[1].Value;
            Assert.Equal(3, dashboards.Count);
            Assert.Equal(3, sockets.Count);
            Assert.NotEmpty(adminKey);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                foreach (var dashboard in dashboards) Assert.Contains("<html", await http.GetStringAsync(dashboard), StringComparison.OrdinalIgnoreCase);

            // A real client on every node, each streaming quotes.
            var clients = new List<TestSocket>();
            try
            {
                foreach (var socket in sockets)
                {
                    var client = await TestSocket.ConnectAsync(socket);
                    clients.Add(client);
                    await client.ExpectAsync("type", "status");
                    await client.SendAsync("""{"type":"subscribe","symbols":["AAPL","MSFT"]}""");
                    await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));
                    await client.ExpectAsync(m => TestSocket.IsQuote(m, "MSFT"));
                }

                // status names the node that holds the upstream, as /admin/cluster reports it.
                var holder = await UpstreamHolderAsync(dashboards[0], adminKey);
                var holderName = $"node{int.Parse(holder[(holder.LastIndexOf(':') + 1)..]) - remotingBase}";
                var status = await RunAsync(environment, "status");
                Assert.True(status.ExitCode == 0, status.Output);
                Assert.Contains($"upstream: held by {holderName} ({holder}), connected", status.Output);
                Assert.Equal(3, Regex.Matches(status.Output, @"^\s+node\d\s+akka\.tcp://\S+\s+Up\s+reachable\s+\d+ shards, \d+ symbols, 1 clients$", RegexOptions.Multiline).Count);
            }
            finally
            {
                foreach (var client in clients) await client.DisposeAsync();
            }

            var stop = await RunAsync(environment, "stop");
            Assert.True(stop.ExitCode == 0, stop.Output);
            Assert.Equal(4, Regex.Matches(stop.Output, @"\(pid \d+\) stopped$", RegexOptions.Multiline).Count);
            Assert.DoesNotContain("killed", stop.Output);
            Assert.All(pids, pid => Assert.False(IsOurs(pid), $"pid {pid} is still running after stop"));
            Assert.False(File.Exists(Path.Combine(state, "pids")));
        }
        finally
        {
            // Whatever failed above, nothing of this run outlives it.
            foreach (var pid in pids.Where(IsOurs))
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<string> UpstreamHolderAsync(Uri node, string adminKey)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var report = await http.GetFromJsonAsync("/admin/cluster", QuotesJsonContext.Default.RestSuccessClusterReport);
        return report!.Data.Upstream.Node;
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is still one of this run's programs. An exited process that its new parent has not
    /// reaped yet (a zombie) has an empty command line: it is gone.
    /// </summary>
    private static bool IsOurs(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("Quotes.Host.dll") || commandLine.Contains("Quotes.Simulator.dll");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> environment, params string[] arguments)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "cluster-local.sh"), .. arguments])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AkkaQuotes.sln"))) return dir.FullName;
        throw new InvalidOperationException("AkkaQuotes.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A base port whose next <paramref name="count"/> loopback ports are all free now (the script gives node i base + i).</summary>
    private static int FreeRange(int count)
    {
        while (true)
        {
            var first = Random.Shared.Next(20_000, 60_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (var port = first + 1; port <= first + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listeners.Add(listener);
                }
                return first;
            }
            catch (SocketException)
            {
            }
            finally
            {
                foreach (var listener in listeners) listener.Stop();
            }
        }
    }

    [GeneratedRegex(@"dashboard\s+(http://\S+)")]
    private static partial Regex Dashboard();

    [GeneratedRegex(@"websocket\s+(ws://\S+)")]
    private static partial Regex WebSocket();

    [GeneratedRegex(@"admin key:\s+(\S+)")]
    private static partial Regex AdminKey();
}
