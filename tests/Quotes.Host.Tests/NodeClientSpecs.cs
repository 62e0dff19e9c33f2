using Quotes.Simulator;
using Quotes.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Runs tests/node/polygon-clients.test.mjs (the official <c>@polygon.io/client-js</c> 8.2.0 and
/// <c>@massive.com/client-js</c> 10.8.0) against a real host and simulator.
/// </summary>
public sealed class NodeClientSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task The_official_Polygon_clients_work_against_the_facade_unchanged_but_for_the_base_URL()
    {
        // The clients page through every option contract (a hundred quick requests), past the default per-key REST rate
        // that the relay now shares with /api: this spec is about the protocol, so the key gets room for them.
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Api:RateLimit:Burst"] = "1000" }, simulatorOptions: new SimulatorOptions
        {
            ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, ControlEnabled = true,
        });
        await NodeTestRunner.RunAsync(output, ["polygon-clients.test.mjs"], new Dictionary<string, string>
        {
            ["AKKAQUOTES_URL"] = server.BaseUrl.ToString().TrimEnd('/'),
            ["AKKAQUOTES_KEY"] = QuotesServer.ClientKey,
            ["SIMULATOR_URL"] = server.Simulator!.HttpUrl.ToString().TrimEnd('/'),
        }, expectedPasses: 7, requiredPackage: "@polygon.io");
    }
}
