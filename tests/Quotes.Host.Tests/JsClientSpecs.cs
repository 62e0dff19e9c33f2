using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Runs the JS client package's tests (clients/js/test, npm packages installed by ./test.sh): its unit specs, its quote
/// store and React hooks (real react, react-dom and @testing-library/react on happy-dom) against real host processes,
/// its declarations checked by <c>tsc</c> (and the README's examples against them), and <c>npm pack</c> installed into a
/// scratch project; and the React example (/examples/react.html, React vendored by the build) in headless Chromium from
/// tests/node.
/// </summary>
public sealed class JsClientSpecs(ITestOutputHelper output)
{
    private static Dictionary<string, string> Host() => new()
    {
        ["AKKAQUOTES_HOST_DLL"] = Path.Combine(AppContext.BaseDirectory, "Quotes.Host.dll"),
    };

    [Fact]
    public async Task The_client_its_quote_store_and_its_React_hooks_work_against_a_real_host() =>
        await NodeTestRunner.RunAsync(output,
            ["test/quotes-client.test.mjs", "test/watch.test.mjs", "test/quotes-store.host.test.mjs", "test/quotes-react.host.test.mjs"],
            Host(), expectedPasses: 73, requiredPackage: "react",
            directory: NodeTestRunner.ClientDirectory);

    [Fact]
    public async Task The_package_type_checks_packs_installs_and_imports() =>
        await NodeTestRunner.RunAsync(output, ["test/package.test.mjs"], new Dictionary<string, string>(),
            expectedPasses: 2, requiredPackage: "typescript", directory: NodeTestRunner.ClientDirectory);

    [Fact]
    public async Task The_React_example_page_renders_live_quotes_in_Chromium()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", "vendor", "react-dom-client.mjs")),
            "the build did not put React into wwwroot/vendor");
        await NodeTestRunner.RunAsync(output, ["react-example.test.mjs"], Host(), expectedPasses: 2, requiredPackage: "playwright-core");
    }
}
