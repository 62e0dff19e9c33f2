using System.Net;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// With no Polygon key and no URL, the host feeds itself from the in-process simulator: `dotnet run` just works, also with
/// the host's listeners named in <c>Kestrel:Endpoints</c> (the simulator must not take them for its own).
/// </summary>
public sealed class EmbeddedSimulatorSpecs
{
    [Fact]
    public async Task Without_a_Polygon_key_the_embedded_simulator_feeds_quotes()
    {
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?>());
        Assert.NotNull(server.Simulator);

        await using var client = await server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        var quote = await client.ExpectAsync("type", "quote");

        Assert.Equal(server.Simulator!.Market.Walk("AAPL").PreviousClose, quote.GetProperty("previousClose").GetDecimal());
        Assert.Equal(UpstreamStates.Connected, client.Received.First(m => m.GetProperty("type").GetString() == "status").GetProperty("upstream").GetString());
    }

    [Fact]
    public async Task A_node_on_the_embedded_simulator_serves_its_Kestrel_endpoints_and_the_metrics_listener_beside_them()
    {
        // Found from outside: set as SECURITY.md shows (environment variables, as a deployment does), Kestrel:Endpoints
        // were read by the embedded simulator too, which bound the host's address (or needed its HTTPS set-up), and the
        // node crashed at start; and Metrics:Port was dropped, the endpoints replacing the URLs it was added to.
        var port = NodeProcess.FreePort();
        var metricsPort = NodeProcess.FreePort();
        await using var node = NodeProcess.StartWithoutSeeds(new Dictionary<string, string?> // a cluster of its own, as `dotnet run`
        {
            ["Kestrel:Endpoints:Main:Url"] = $"http://127.0.0.1:{port}",
            ["Metrics:Port"] = metricsPort.ToString(),
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await Eventually.HoldsAsync(async () =>
        {
            Assert.True(node.ExitCode is null, $"the node exited with {node.ExitCode}; its last words:{Environment.NewLine}{node.OutputTail()}");
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, $"http://127.0.0.1:{port}/health/ready")); // upstream connected
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        var metrics = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics");
        metrics.EnsureSuccessStatusCode();
        Assert.Contains("quotes_connections", await metrics.Content.ReadAsStringAsync());
    }

    /// <summary>The answer's status, or null while nothing listens there yet.</summary>
    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync(url)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
