using System.Diagnostics;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Runs tests/node (Node's test runner with the official <c>@polygon.io/client-js</c> 8.2.0 and
/// <c>@massive.com/client-js</c> 10.8.0, installed by ./test.sh) against a real host and simulator.
/// </summary>
public sealed class NodeClientSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task The_official_Polygon_clients_work_against_the_facade_unchanged_but_for_the_base_URL()
    {
        var nodeTests = Path.Combine(RepositoryRoot(), "tests", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeTests, "node_modules", "@polygon.io", "client-js")),
            "the npm packages are missing: run ./test.sh (it runs npm ci in tests/node)");
        await using var server = await QuotesServer.StartAsync(simulatorOptions: new SimulatorOptions
        {
            ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, ControlEnabled = true,
        });

        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=tap", "polygon-clients.test.mjs"])
        {
            WorkingDirectory = nodeTests,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AKKAQUOTES_URL"] = server.BaseUrl.ToString().TrimEnd('/');
        start.Environment["AKKAQUOTES_KEY"] = QuotesServer.ClientKey;
        start.Environment["SIMULATOR_URL"] = server.Simulator!.HttpUrl.ToString().TrimEnd('/');
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.Equal(0, node.ExitCode);
        Assert.Contains("# fail 0", await stdout);
        Assert.Contains("# pass 7", await stdout);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AkkaQuotes.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AkkaQuotes.sln not found above " + AppContext.BaseDirectory);
    }
}
