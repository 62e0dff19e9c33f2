using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// Polygon's one-connection-per-account rule, in both eviction orders, over real sockets: two clients of one key, the
/// one turned away gets <c>max_connections</c> and close 1008 and no data after it, the other streams on.
/// </summary>
public sealed class ConnectionLimitSpecs : IAsyncLifetime
{
    private const string Key = "key-alpha-7f3";
    private const string OtherKey = "key-beta-9c1";
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key, OtherKey], EventsPerSecond = 20, ControlEnabled = true });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private MarketSimulator Market => _simulator.Market;

    private async Task<TestSocket> AuthenticatedAsync(string key, string? subscribe = null)
    {
        var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync($$"""{"action":"auth","params":"{{key}}"}""");
        await socket.ExpectAsync("status", "auth_success");
        if (subscribe is not null)
        {
            await socket.SendAsync($$"""{"action":"subscribe","params":"{{subscribe}}"}""");
            await socket.ExpectAsync("ev", "A");
        }
        return socket;
    }

    private static bool IsStatus(JsonElement m, string status) =>
        m.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == status;

    private static bool IsAggregate(JsonElement m) => m.TryGetProperty("ev", out var ev) && ev.GetString() == "A";

    /// <summary>Reads the eviction to its end: <c>max_connections</c>, then the close, and returns where the status was.</summary>
    private static async Task<int> EvictedAsync(TestSocket socket)
    {
        await socket.ExpectAsync("status", "max_connections");
        var at = socket.Received.FindIndex(m => IsStatus(m, "max_connections"));
        while (await socket.ReceiveFrameAsync() is not null) { }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.DoesNotContain(socket.Received.Skip(at + 1), IsAggregate); // data stopped at the eviction
        return at;
    }

    /// <summary>An aggregate received from now on: the socket is still streaming.</summary>
    private static Task<JsonElement> NextAggregateAsync(TestSocket socket) => socket.ExpectAsync(IsAggregate, from: socket.Received.Count);

    [Fact]
    public async Task Evict_newer_turns_the_second_connection_away_after_auth_success_and_the_first_streams_on()
    {
        Market.Faults.ConnectionLimit = ConnectionLimitMode.EvictNewer;
        await using var first = await AuthenticatedAsync(Key, "A.AAPL");

        await using var second = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await second.SendAsync($$"""{"action":"auth","params":"{{Key}}"}""");

        var evictedAt = await EvictedAsync(second);
        Assert.InRange(second.Received.FindIndex(m => IsStatus(m, "auth_success")), 0, evictedAt - 1); // auth_success, then max_connections
        await NextAggregateAsync(first);
        Assert.DoesNotContain(first.Received, m => IsStatus(m, "max_connections"));
        Assert.Equal(1, Market.Report().Evictions);
    }

    [Fact]
    public async Task Evict_older_turns_the_first_connection_away_and_the_second_streams_on()
    {
        Market.Faults.ConnectionLimit = ConnectionLimitMode.EvictOlder;
        await using var first = await AuthenticatedAsync(Key, "A.AAPL");

        await using var second = await AuthenticatedAsync(Key);
        await EvictedAsync(first);

        await second.SendAsync("""{"action":"subscribe","params":"A.MSFT"}""");
        Assert.Equal("MSFT", (await NextAggregateAsync(second)).GetProperty("sym").GetString());
        Assert.DoesNotContain(second.Received, m => IsStatus(m, "max_connections"));
    }

    [Fact]
    public async Task Off_lets_two_connections_of_one_key_stream_side_by_side()
    {
        await using var first = await AuthenticatedAsync(Key, "A.AAPL");
        await using var second = await AuthenticatedAsync(Key, "A.AAPL");

        await NextAggregateAsync(first);
        await NextAggregateAsync(second);
        Assert.Equal([true, true], Market.Report().Connections.Select(c => c.Authenticated));
        Assert.Equal(0, Market.Report().Evictions);
    }

    [Theory]
    [InlineData(ConnectionLimitMode.EvictNewer)]
    [InlineData(ConnectionLimitMode.EvictOlder)]
    public async Task Different_keys_never_evict_each_other(ConnectionLimitMode mode)
    {
        Market.Faults.ConnectionLimit = mode;
        await using var first = await AuthenticatedAsync(Key, "A.AAPL");

        // The rule acts before auth_success: had the second evicted the first, the first's next read would be its close.
        await using var second = await AuthenticatedAsync(OtherKey, "A.AAPL");

        await NextAggregateAsync(first);
        await NextAggregateAsync(second);
        var report = Market.Report();
        Assert.Equal([true, true], report.Connections.Select(c => c.Authenticated));
        Assert.Equal([0, 1], report.Connections.Select(c => c.Account)); // each key its own account
        Assert.Equal(0, report.Evictions);
    }

    /// <summary>Completes with the connection's closed record once the simulator is done with it.</summary>
    private Task<ClosedConnectionReport> ClosedAsync(int id)
    {
        var closed = new TaskCompletionSource<ClosedConnectionReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        Market.ConnectionClosed += c => { if (c.Id == id) closed.TrySetResult(c); };
        return closed.Task.WaitAsync(TestSocket.DefaultWait);
    }

    [Fact]
    public async Task The_report_shows_the_evicted_connection_its_times_and_actions_and_never_the_key()
    {
        Market.Faults.ConnectionLimit = ConnectionLimitMode.EvictOlder;
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = await AuthenticatedAsync(Key, "A.AAPL");
        var firstId = Assert.Single(Market.Report().Connections).Id;
        var firstClosed = ClosedAsync(firstId);

        await using var second = await AuthenticatedAsync(Key);
        await EvictedAsync(first);
        await first.DisposeAsync();
        var closed = await firstClosed;

        var report = Market.Report();
        var survivor = Assert.Single(report.Connections);
        Assert.Equal(closed, Assert.Single(report.RecentlyClosed));
        Assert.Equal(1, report.Evictions);
        Assert.Equal(ConnectionEnd.Evicted, closed.End);
        Assert.Equal((0, 0), (closed.Account, survivor.Account)); // both Key, listed first
        Assert.Equal((2, 1, 0), (closed.Actions, closed.ActionsAfterAuth, closed.ActionsAfterEviction)); // auth, subscribe; nothing after
        Assert.True(started <= closed.OpenedAt && closed.OpenedAt <= closed.AuthenticatedAt && closed.AuthenticatedAt <= closed.LastActionAt
            && closed.LastActionAt <= closed.EvictedAt && closed.EvictedAt <= closed.ClosedAt, $"times out of order: {closed}");
        Assert.True(survivor.OpenedAt <= closed.ClosedAt, "the two sockets overlapped");
        Assert.True(closed.EvictedAt <= survivor.AuthenticatedAt, "the older one was gone before the newer one was authenticated");

        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };
        var json = await http.GetStringAsync("/_sim/report");
        Assert.DoesNotContain(Key, json);
        using var doc = JsonDocument.Parse(json);
        var entry = doc.RootElement.GetProperty("recentlyClosed")[0];
        Assert.Equal("Evicted", entry.GetProperty("end").GetString());
        Assert.Equal(closed.ClosedAt, entry.GetProperty("closedAt").GetInt64());
    }

    [Fact]
    public async Task The_control_endpoint_sets_the_rule_and_a_body_without_it_keeps_it()
    {
        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };

        using var older = await http.PostAsJsonAsync("/_sim/faults", new { connectionLimit = "EvictOlder" });
        Assert.Equal(HttpStatusCode.NoContent, older.StatusCode);
        Assert.Equal(ConnectionLimitMode.EvictOlder, Market.Faults.ConnectionLimit);

        using var faultsOnly = await http.PostAsJsonAsync("/_sim/faults", new { refuseAuth = true });
        Assert.Equal(HttpStatusCode.NoContent, faultsOnly.StatusCode);
        Assert.Equal(ConnectionLimitMode.EvictOlder, Market.Faults.ConnectionLimit);

        using var newer = await http.PostAsJsonAsync("/_sim/faults", new { connectionLimit = "EvictNewer" });
        Assert.Equal(ConnectionLimitMode.EvictNewer, Market.Faults.ConnectionLimit);
        Assert.False(Market.Faults.RefuseAuth);

        using var unknown = await http.PostAsJsonAsync("/_sim/faults", new { connectionLimit = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(ConnectionLimitMode.EvictNewer, Market.Faults.ConnectionLimit);
    }

    [Fact]
    public async Task The_configured_rule_binds_from_configuration_is_where_the_simulator_starts_and_where_reset_returns()
    {
        var configured = new ConfigurationBuilder().AddCommandLine(["--Simulator:ConnectionLimit=EvictOlder"]).Build()
            .GetSection("Simulator").Get<SimulatorOptions>()!;
        await using var market = new MarketSimulator(configured);
        await using var plain = new MarketSimulator(new SimulatorOptions());

        Assert.Equal(ConnectionLimitMode.EvictOlder, market.Faults.ConnectionLimit);
        Assert.Equal(ConnectionLimitMode.Off, plain.Faults.ConnectionLimit);

        market.Faults.ConnectionLimit = ConnectionLimitMode.Off;
        market.Faults.Reset();
        Assert.Equal(ConnectionLimitMode.EvictOlder, market.Faults.ConnectionLimit);
    }
}
