using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The simulator speaks Polygon's stocks protocol to the letter (session, actions, statuses, events and the previous-close path), over real sockets.</summary>
public sealed class SimulatorProtocolSpecs : IAsyncLifetime
{
    private const string Key = "sim-key";
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key], EventsPerSecond = 20 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private Task<TestSocket> ConnectAsync() => TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));

    private async Task<TestSocket> AuthenticatedAsync()
    {
        var socket = await ConnectAsync();
        await socket.ReceiveFrameAsync();
        await socket.SendAsync("""{"action":"auth","params":"sim-key"}""");
        Assert.Contains("auth_success", await socket.ReceiveFrameAsync());
        return socket;
    }

    [Fact]
    public async Task Connected_is_the_first_frame_and_auth_success_answers_a_valid_key()
    {
        await using var socket = await ConnectAsync();

        // Polygon's own frame plus "simulated":true, a field Polygon never sends: whoever connects can tell prices are simulated.
        Assert.Equal("""[{"ev":"status","status":"connected","message":"Connected Successfully","simulated":true}]""", await socket.ReceiveFrameAsync());
        await socket.SendAsync("""{"action":"auth","params":"sim-key"}""");
        Assert.Equal("""[{"ev":"status","status":"auth_success","message":"authenticated"}]""", await socket.ReceiveFrameAsync());
    }

    [Fact]
    public async Task A_simulator_told_not_to_announce_itself_sends_exactly_Polygons_connected_frame()
    {
        await using var quiet = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = ["sim-key"], AnnounceSimulated = false });
        await using var socket = await TestSocket.ConnectAsync(new Uri(quiet.WebSocketUrl, "stocks"));

        Assert.Equal("""[{"ev":"status","status":"connected","message":"Connected Successfully"}]""", await socket.ReceiveFrameAsync());
    }

    [Fact]
    public async Task A_wrong_key_gets_auth_failed()
    {
        await using var socket = await ConnectAsync();
        await socket.ReceiveFrameAsync();

        await socket.SendAsync("""{"action":"auth","params":"wrong"}""");

        Assert.Equal("""[{"ev":"status","status":"auth_failed","message":"authentication failed"}]""", await socket.ReceiveFrameAsync());
    }

    [Fact]
    public async Task Auth_sent_before_connected_is_read_is_still_honoured()
    {
        await using var socket = await ConnectAsync();
        await socket.SendAsync("""{"action":"auth","params":"sim-key"}""");

        await socket.ExpectAsync("status", "connected");
        await socket.ExpectAsync("status", "auth_success");
    }

    [Fact]
    public async Task Each_channel_is_acknowledged_separately_and_whitespace_is_tolerated()
    {
        await using var socket = await AuthenticatedAsync();

        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL, A.BRK.B"}""");

        Assert.Equal("""[{"ev":"status","status":"success","message":"subscribed to: A.AAPL"}]""", await socket.ReceiveFrameAsync());
        Assert.Equal("""[{"ev":"status","status":"success","message":"subscribed to: A.BRK.B"}]""", await socket.ReceiveFrameAsync());

        await socket.SendAsync("""{"action":"unsubscribe","params":"A.AAPL"}""");
        await socket.ExpectAsync("message", "unsubscribed to: A.AAPL");
    }

    [Fact]
    public async Task Aggregates_carry_every_field_and_arrive_batched_in_arrays()
    {
        await using var socket = await AuthenticatedAsync();
        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL,A.TSLA"}""");

        var aggregate = await socket.ExpectAsync("ev", "A");

        foreach (var field in new[] { "ev", "sym", "v", "av", "op", "vw", "o", "c", "h", "l", "a", "z", "s", "e" })
            Assert.True(aggregate.TryGetProperty(field, out _), field);
        Assert.Equal(1000, aggregate.GetProperty("e").GetInt64() - aggregate.GetProperty("s").GetInt64());
        await socket.ExpectAsync(m => m.TryGetProperty("sym", out var s) && s.GetString() == "TSLA");
        Assert.Contains(socket.Frames, f => f.StartsWith("[{\"ev\":\"A\"") && f.Contains("\"sym\":\"AAPL\"") && f.Contains("\"sym\":\"TSLA\""));
    }

    [Fact]
    public async Task Subscribing_before_auth_is_refused_and_unknown_channels_are_not_authorized()
    {
        await using var socket = await ConnectAsync();
        await socket.ReceiveFrameAsync();
        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL"}""");
        await socket.ExpectAsync("status", "auth_required");

        await socket.SendAsync("""{"action":"auth","params":"sim-key"}""");
        await socket.ExpectAsync("status", "auth_success");
        await socket.SendAsync("""{"action":"subscribe","params":"NOI.AAPL"}""");
        await socket.ExpectAsync("message", "not authorized");
    }

    [Fact]
    public async Task It_reports_connections_subscriptions_and_actions()
    {
        await using var socket = await AuthenticatedAsync();
        await socket.SendAsync("""{"action":"subscribe","params":"A.NVDA"}""");
        await socket.ExpectAsync("message", "subscribed to: A.NVDA");

        var report = _simulator.Market.Report();

        Assert.Equal(1, report.ConnectionsOpened);
        Assert.Equal(["A.NVDA"], Assert.Single(report.Connections).Channels);
        Assert.Equal(["auth", "subscribe A.NVDA"], report.Actions);
        Assert.DoesNotContain(report.Actions, a => a.Contains(Key));
    }

    [Fact]
    public async Task Previous_close_has_Polygons_shape_and_matches_the_walk()
    {
        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/aggs/ticker/AAPL/prev");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("AAPL", root.GetProperty("ticker").GetString());
        Assert.Equal("OK", root.GetProperty("status").GetString());
        Assert.Equal(1, root.GetProperty("resultsCount").GetInt32());
        var bar = root.GetProperty("results")[0];
        foreach (var field in new[] { "T", "v", "vw", "o", "c", "h", "l", "t", "n" }) Assert.True(bar.TryGetProperty(field, out _), field);
        Assert.Equal(_simulator.Market.Walk("AAPL").PreviousClose, bar.GetProperty("c").GetDecimal());
    }

    [Fact]
    public async Task REST_without_a_key_or_with_a_wrong_one_is_401_in_Polygons_words()
    {
        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };

        using var missing = await http.GetAsync("/v2/aggs/ticker/AAPL/prev");
        using var wrong = await http.GetAsync("/v2/aggs/ticker/AAPL/prev?apiKey=nope");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("\"error\":\"API Key was not provided\"", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("\"error\":\"Unknown API Key\"", await wrong.Content.ReadAsStringAsync());
    }
}
