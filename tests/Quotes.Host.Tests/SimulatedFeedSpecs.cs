using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Actors.Fanout;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// Simulated prices are never mistaken for market data: clients, probes and operators are told the feed, production
/// can forbid the simulator, and anonymous probes learn nothing about the provider's address.
/// </summary>
public sealed class SimulatedFeedSpecs
{
    private const string AdminKey = "feed-spec-admin-key";

    [Fact]
    public async Task On_the_built_in_simulator_the_status_message_the_probe_and_the_admin_view_say_feed_simulator()
    {
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey });
        Assert.NotNull(server.Simulator);

        await using var client = await server.ConnectAsync();
        var status = await client.ExpectAsync("type", "status");
        Assert.Equal(NodeStatus.SimulatorFeed, status.GetProperty("feed").GetString());

        using var http = server.CreateHttpClient();
        Assert.Contains("feed simulator", await http.GetStringAsync("/health/ready"));
        Assert.Equal(NodeStatus.SimulatorFeed, (await AdminViewAsync(http)).GetProperty("feed").GetString());
    }

    [Fact]
    public async Task A_real_node_on_the_built_in_simulator_says_so_in_its_banner_and_its_probe()
    {
        // No Polygon setting at all: the node starts its built-in simulator, as `dotnet run` does.
        await using var node = NodeProcess.Start(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = QuotesServer.ClientKey });
        await Quotes.Host.Tests.ScaleOut.ProcessCluster.WaitUntilReadyAsync(node);

        await Quotes.Testing.Eventually.HoldsAsync(() =>
            Assert.Contains(node.Output, line => line.Contains("Feed: simulator. Prices are SIMULATED, not market data")));
        using var http = new HttpClient { BaseAddress = node.HttpUrl };
        Assert.Contains("feed simulator", await http.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task A_standalone_simulator_declared_with_Polygon_Feed_is_reported_as_simulated()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Polygon:Feed"] = "simulator" });
        await using var client = await server.ConnectAsync();
        Assert.Equal(NodeStatus.SimulatorFeed, (await client.ExpectAsync("type", "status")).GetProperty("feed").GetString());
    }

    [Theory]
    [InlineData("live", null, "Polygon:Feed must be")]
    [InlineData("simulator", "true", "Polygon:Required")]
    public async Task A_wrong_or_forbidden_feed_stops_the_start(string feed, string? required, string named)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartAsync(
            new Dictionary<string, string?> { ["Polygon:Feed"] = feed, ["Polygon:Required"] = required }));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task On_a_provider_the_feed_is_the_configured_one()
    {
        // A simulator that does not announce itself passes for the provider.
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Polygon:Feed"] = "delayed" },
            new Quotes.Simulator.SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, AnnounceSimulated = false });
        await using var client = await server.ConnectAsync();
        var status = await client.ExpectAsync("type", "status");
        Assert.Equal("delayed", status.GetProperty("feed").GetString());
    }

    [Fact]
    public async Task An_unready_node_tells_anonymous_probes_its_state_but_not_the_upstreams_error_details_host_or_URL()
    {
        // A provider host that does not resolve: the upstream keeps reconnecting, and its reason names that host.
        const string provider = "upstream-host.invalid";
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
            ["Polygon:WebSocketUrl"] = $"ws://{provider}:9",
            ["Polygon:RestUrl"] = $"http://{provider}:9",
            ["Admin:ApiKey"] = AdminKey,
        }, waitUntilReady: false);
        using var http = server.CreateHttpClient();

        // The operator's view has the upstream's own error (socket and DNS errors can name hosts and addresses).
        var upstream = default(JsonElement);
        await Quotes.Testing.Eventually.HoldsAsync(async () =>
        {
            upstream = (await AdminViewAsync(http)).GetProperty("upstream");
            Assert.StartsWith("connect failed", upstream.GetProperty("reason").GetString());
        });
        var reason = upstream.GetProperty("reason").GetString()!;
        Assert.NotEqual(UpstreamStates.Connected, upstream.GetProperty("state").GetString());

        using var probe = await http.GetAsync("/health/ready");
        var body = await probe.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, probe.StatusCode);
        Assert.Contains("upstream ", body);
        Assert.DoesNotContain(reason, body);
        Assert.DoesNotContain("connect failed", body);
        Assert.DoesNotContain(provider, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"{provider}:9", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ws://", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Polygon_Required_without_a_key_refuses_to_start_on_the_simulator()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            QuotesServer.StartHostAsync(new Dictionary<string, string?> { ["Polygon:Required"] = "true" }));
        Assert.Contains("Polygon:Required", error.Message);
    }

    [Fact]
    public async Task A_node_joining_a_cluster_without_configured_client_keys_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartHostAsync(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = null,
            ["Akka:Seeds:0"] = "akka.tcp://quotes@127.0.0.1:1",
        }, waitUntilReady: false));
        Assert.Contains("Auth:ApiKeys is required", error.Message);
    }

    private static async Task<JsonElement> AdminViewAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }
}
