using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Runs tests/node's dashboard checks: the page end to end in headless Chromium (Debian's <c>chromium</c>, driven by
/// <c>playwright-core</c>) against a real host process with its simulator, and the unit tests of the browser client
/// module and the page's pure logic. Screenshots go to <c>artifacts/dashboard</c>.
/// </summary>
public sealed class DashboardSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task The_dashboard_works_end_to_end_in_Chromium() =>
        await RunNodeTests("dashboard.test.mjs", expectedPasses: 10);

    [Fact]
    public async Task The_browser_client_module_and_the_page_logic_pass_their_unit_tests() =>
        await RunNodeTests("quotes-client.test.mjs dashboard-logic.test.mjs", expectedPasses: 19);

    private async Task RunNodeTests(string files, int expectedPasses)
    {
        var root = NodeClientSpecs.RepositoryRoot();
        var nodeTests = Path.Combine(root, "tests", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeTests, "node_modules", "playwright-core")),
            "the npm packages are missing: run ./test.sh (it runs npm ci in tests/node)");
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Quotes.Host.dll");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", "vendor", "lightweight-charts.standalone.production.mjs")),
            "the build did not put the chart library into wwwroot/vendor");

        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=tap", .. files.Split(' ')])
        {
            WorkingDirectory = nodeTests,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AKKAQUOTES_HOST_DLL"] = hostDll;
        start.Environment["AKKAQUOTES_ARTIFACTS"] = Path.Combine(root, "artifacts", "dashboard");
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            output.WriteLine(await stdout);
            output.WriteLine(await stderr);
        }

        Assert.Equal(0, node.ExitCode);
        Assert.Contains("# fail 0", await stdout);
        Assert.Contains($"# pass {expectedPasses}", await stdout);
    }
}
