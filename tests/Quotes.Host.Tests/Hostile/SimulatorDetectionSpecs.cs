using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Actors.Fanout;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Serilog.Events;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 7: a standalone simulator behind <c>Polygon:WebSocketUrl</c> says so in its <c>connected</c> status
/// (<c>"simulated":true</c>), and the node reports the feed as <c>simulator</c> whatever <c>Polygon:Feed</c> says;
/// under <c>Polygon:Required</c> it is refused before anything is subscribed.
/// </summary>
public sealed class SimulatorDetectionSpecs
{
    private const string AdminKey = "detect-spec-admin-key";

    [Fact]
    public async Task A_host_pointed_at_a_standalone_simulator_with_no_feed_setting_reports_feed_simulator_everywhere()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey });

        await using var client = await TestSocket.ConnectAsync(server.SocketUri());
        var status = await client.ExpectAsync("type", "status");
        Assert.Equal(UpstreamStates.Connected, status.GetProperty("upstream").GetString());
        Assert.Equal(NodeStatus.SimulatorFeed, status.GetProperty("feed").GetString());

        using var http = server.CreateHttpClient();
        Assert.Equal("Healthy: upstream connected; feed simulator", await http.GetStringAsync("/health/ready"));
        Assert.Equal(NodeStatus.SimulatorFeed, (await AdminViewAsync(http)).GetProperty("feed").GetString());
        Assert.Contains(server.Logs.At(LogEventLevel.Warning), line => line.Contains("turned out to be a SIMULATOR"));
    }

    [Fact]
    public async Task A_simulator_told_not_to_announce_itself_is_reported_as_the_configured_feed_and_a_later_simulator_is_noticed()
    {
        var options = new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, AnnounceSimulated = false };
        await using var server = await QuotesServer.StartAsync(simulatorOptions: options);

        await using var client = await TestSocket.ConnectAsync(server.SocketUri());
        Assert.Equal("realtime", (await client.ExpectAsync("type", "status")).GetProperty("feed").GetString());
        using var http = server.CreateHttpClient();
        Assert.Equal("Healthy: upstream connected; feed realtime", await http.GetStringAsync("/health/ready"));

        // The next connection lands on a simulator that says so: clients get a fresh status at once.
        var seen = client.Received.Count;
        options.AnnounceSimulated = true;
        server.Simulator!.Market.DropAll();
        await client.ExpectAsync(m => IsStatus(m, UpstreamStates.Connected, NodeStatus.SimulatorFeed), from: seen);

        // And back: a connection that does not announce a simulator restores the configured feed.
        seen = client.Received.Count;
        options.AnnounceSimulated = false;
        server.Simulator.Market.DropAll();
        await client.ExpectAsync(m => IsStatus(m, UpstreamStates.Connected, "realtime"), from: seen);
        Assert.Equal("Healthy: upstream connected; feed realtime", await http.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task Under_Polygon_Required_a_simulator_is_refused_and_nothing_is_subscribed_upstream()
    {
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10 });
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
            ["Polygon:WebSocketUrl"] = simulator.WebSocketUrl.ToString(),
            ["Polygon:RestUrl"] = simulator.HttpUrl.ToString(),
            ["Polygon:Required"] = "true",
            ["Polygon:AllowedHosts:0"] = "127.0.0.1", // a listed loopback upstream may go without TLS
            ["Admin:ApiKey"] = AdminKey,
        }, simulator, owned: true, waitUntilReady: false);

        await Eventually.HoldsAsync(async () =>
        {
            var report = await server.UpstreamReportAsync();
            Assert.Equal(UpstreamStates.Down, report.State);
            Assert.Contains("Polygon:Required", report.Reason);
        });
        Assert.Contains(server.Logs.At(LogEventLevel.Error), line => line.Contains("Polygon:Required is set and the upstream"));

        await using var client = await TestSocket.ConnectAsync(server.SocketUri());
        var status = await client.ExpectAsync("type", "status");
        Assert.Equal(UpstreamStates.Down, status.GetProperty("upstream").GetString());
        Assert.Equal(NodeStatus.SimulatorFeed, status.GetProperty("feed").GetString());
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"],"id":1}""");
        await client.ExpectAsync("type", "subscribed");

        // The symbol is wanted, and a connection opened after that is refused all the same: nothing reaches the simulator.
        var opened = 0;
        await Eventually.HoldsAsync(async () =>
        {
            var report = await server.UpstreamReportAsync();
            Assert.Contains("AAPL", report.Wanted);
            opened = report.ConnectionsOpened;
        });
        await Eventually.HoldsAsync(async () => Assert.True((await server.UpstreamReportAsync()).ConnectionsOpened > opened), TimeSpan.FromSeconds(15));
        var after = await server.UpstreamReportAsync();
        Assert.Equal(UpstreamStates.Down, after.State);
        Assert.Empty(after.Subscribed);
        Assert.DoesNotContain(simulator.Market.Report().Actions, a => a.StartsWith("subscribe", StringComparison.Ordinal));

        using var http = server.CreateHttpClient();
        using var probe = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, probe.StatusCode);
        Assert.Contains("feed simulator", await probe.Content.ReadAsStringAsync());
        Assert.Equal(NodeStatus.SimulatorFeed, (await AdminViewAsync(http)).GetProperty("feed").GetString());
    }

    [Fact]
    public async Task A_host_fed_by_the_facade_of_a_host_on_a_simulator_reports_feed_simulator_too()
    {
        // The first host runs on its built-in simulator; the second knows only the first one's Polygon façade.
        await using var first = await QuotesServer.StartHostAsync(new Dictionary<string, string?>());
        var facade = new UriBuilder(first.BaseUrl) { Path = "/polygon" }.Uri.ToString();
        await using var second = await QuotesServer.StartHostAsync(new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = QuotesServer.ClientKey,
            ["Polygon:WebSocketUrl"] = facade.Replace("http://", "ws://"),
            ["Polygon:RestUrl"] = facade,
        });

        await using var client = await TestSocket.ConnectAsync(second.SocketUri());
        var status = await client.ExpectAsync("type", "status");
        Assert.Equal(UpstreamStates.Connected, status.GetProperty("upstream").GetString());
        Assert.Equal(NodeStatus.SimulatorFeed, status.GetProperty("feed").GetString());

        // The first host's REST relay marks its answers as its simulator does.
        using var relayed = await Keyed(first).GetAsync("/polygon/v2/aggs/ticker/AAPL/prev");
        Assert.Equal(HttpStatusCode.OK, relayed.StatusCode);
        Assert.Equal(["true"], relayed.Headers.GetValues("X-Simulated"));
    }

    [Fact]
    public async Task A_REST_upstream_whose_answers_are_marked_simulated_turns_the_feed_to_simulator_and_back()
    {
        // The socket passes for Polygon; the REST base is another simulator, which marks its answers X-Simulated.
        await using var rest = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey] });
        var restOptions = rest.Market.Options;
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Polygon:RestUrl"] = rest.HttpUrl.ToString() },
            new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, AnnounceSimulated = false });
        await using var client = await TestSocket.ConnectAsync(server.SocketUri());
        await client.ExpectAsync("type", "status");
        using var http = Keyed(server);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/market/historical/AAPL?from=2026-01-05&to=2026-01-09")).StatusCode);
        Assert.Equal("Healthy: upstream connected; feed simulator", await http.GetStringAsync("/health/ready"));
        await client.ExpectAsync(m => IsStatus(m, UpstreamStates.Connected, NodeStatus.SimulatorFeed));
        Assert.Single(server.Logs.At(LogEventLevel.Warning), line => line.Contains("REST upstream") && line.Contains("turned out to be a SIMULATOR"));

        // Its next answer is not marked: the configured feed is back.
        restOptions.AnnounceSimulated = false;
        var seen = client.Received.Count;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/market/historical/AAPL?from=2026-01-12&to=2026-01-16")).StatusCode);
        Assert.Equal("Healthy: upstream connected; feed realtime", await http.GetStringAsync("/health/ready"));
        await client.ExpectAsync(m => IsStatus(m, UpstreamStates.Connected, "realtime"), from: seen);
    }

    [Fact]
    public async Task Under_Polygon_Required_REST_answers_marked_simulated_are_refused_never_kept_and_logged_once()
    {
        await using var rest = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey] });
        var socket = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, AnnounceSimulated = false });
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
            ["Polygon:WebSocketUrl"] = socket.WebSocketUrl.ToString(),
            ["Polygon:RestUrl"] = rest.HttpUrl.ToString(),
            ["Polygon:Required"] = "true",
            ["Polygon:AllowedHosts:0"] = "127.0.0.1",
        }, socket, owned: true, waitUntilReady: false);
        using var http = Keyed(server);

        const string history = "/api/market/historical/AAPL?from=2026-01-05&to=2026-01-09";
        for (var i = 0; i < 2; i++)
        {
            using var refused = await http.GetAsync(history);
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(ErrorCodes.UpstreamError, body.RootElement.GetProperty("code").GetString());
            Assert.Contains("simulated", body.RootElement.GetProperty("error").GetString());
            Assert.Contains("Polygon:Required", body.RootElement.GetProperty("error").GetString());
        }
        // Both reached the provider: a refused answer is never kept.
        Assert.Equal(2, rest.Market.RestCalls("/v2/aggs/ticker/AAPL/range/1/day/2026-01-05/2026-01-09"));
        Assert.Single(server.Logs.At(LogEventLevel.Error), line => line.Contains("marks its answers simulated"));

        using var probe = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, probe.StatusCode);
        Assert.Contains("feed simulator", await probe.Content.ReadAsStringAsync());
        await using var client = await TestSocket.ConnectAsync(server.SocketUri());
        await client.ExpectAsync(m => m.GetProperty("type").GetString() == "status" && m.GetProperty("feed").GetString() == NodeStatus.SimulatorFeed);
    }

    private static HttpClient Keyed(QuotesServer server)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
        return http;
    }

    private static bool IsStatus(JsonElement m, string upstream, string feed) =>
        m.GetProperty("type").GetString() == "status" && m.GetProperty("upstream").GetString() == upstream && m.GetProperty("feed").GetString() == feed;

    private static async Task<JsonElement> AdminViewAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }
}
