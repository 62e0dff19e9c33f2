using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Runs tests/node's dashboard checks: the page end to end in headless Chromium (Debian's <c>chromium</c>, driven by
/// <c>playwright-core</c>) against a real host process with its simulator, and the unit tests of the page's pure logic.
/// Screenshots go to <c>artifacts/dashboard</c>. (The browser client module's own tests: <see cref="JsClientSpecs"/>.)
/// </summary>
public sealed class DashboardSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task The_dashboard_works_end_to_end_in_Chromium()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", "vendor", "lightweight-charts.standalone.production.mjs")),
            "the build did not put the chart library into wwwroot/vendor");
        await NodeTestRunner.RunAsync(output, ["dashboard.test.mjs"], new Dictionary<string, string>
        {
            ["AKKAQUOTES_HOST_DLL"] = Path.Combine(AppContext.BaseDirectory, "Quotes.Host.dll"),
            ["AKKAQUOTES_ARTIFACTS"] = Path.Combine(NodeTestRunner.RepositoryRoot(), "artifacts", "dashboard"),
        }, expectedPasses: 18, requiredPackage: "playwright-core");
    }

    [Fact]
    public async Task The_page_logic_passes_its_unit_tests() =>
        await NodeTestRunner.RunAsync(output, ["dashboard-logic.test.mjs"], new Dictionary<string, string>(), expectedPasses: 21);
}
