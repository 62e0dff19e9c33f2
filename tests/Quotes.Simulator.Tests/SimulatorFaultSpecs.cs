using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The faults the simulator injects behave like the Polygon failures they stand for.</summary>
public sealed class SimulatorFaultSpecs : IAsyncLifetime
{
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = ["k"], EventsPerSecond = 20, ControlEnabled = true });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private async Task<TestSocket> AuthenticatedAsync(string? subscribe = null)
    {
        var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync("""{"action":"auth","params":"k"}""");
        await socket.ExpectAsync("status", "auth_success");
        if (subscribe is not null)
        {
            await socket.SendAsync($$"""{"action":"subscribe","params":"{{subscribe}}"}""");
            await socket.ExpectAsync("ev", "A");
        }
        return socket;
    }

    [Fact]
    public async Task Eviction_sends_max_connections_then_closes_with_1008()
    {
        _simulator.Market.Faults.EvictAfterAuth = true;
        await using var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync("""{"action":"auth","params":"k"}""");

        await socket.ExpectAsync("status", "auth_success");
        var evicted = await socket.ExpectAsync("status", "max_connections");
        Assert.StartsWith("Maximum number of websocket connections exceeded.", evicted.GetProperty("message").GetString());
        while (await socket.ReceiveFrameAsync() is not null) { }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }

    [Fact]
    public async Task Poisoned_frames_follow_auth_success_byte_for_byte_until_reset()
    {
        // JSON ones: the test socket parses what it receives.
        _simulator.Market.Faults.PoisonAfterAuth = [PoisonedFrame.LoneSurrogate, PoisonedFrame.WrongTypes];
        await using var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync("""{"action":"auth","params":"k"}""");

        string? frame;
        do frame = await socket.ReceiveFrameAsync(); while (frame is not null && !frame.Contains("auth_success"));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(PoisonedFrame.LoneSurrogate.Bytes), await socket.ReceiveFrameAsync());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(PoisonedFrame.WrongTypes.Bytes), await socket.ReceiveFrameAsync());

        _simulator.Market.Faults.Reset();
        Assert.Empty(_simulator.Market.Faults.PoisonAfterAuth);
    }

    [Fact]
    public async Task Refused_auth_answers_auth_failed_even_for_a_good_key()
    {
        _simulator.Market.Faults.RefuseAuth = true;
        await using var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync("""{"action":"auth","params":"k"}""");
        await socket.ExpectAsync("status", "auth_failed");
    }

    [Fact]
    public async Task A_stall_stops_data_until_it_is_lifted()
    {
        await using var socket = await AuthenticatedAsync("A.AAPL");

        _simulator.Market.Faults.Stalled = true;

        // Frames already on their way may still arrive; then nothing for a whole second, at 20 ticks a second.
        var inFlight = 0;
        var silent = false;
        while (!silent && inFlight <= 3)
        {
            try
            {
                await socket.ReceiveFrameAsync(TimeSpan.FromSeconds(1));
                inFlight++;
            }
            catch (OperationCanceledException)
            {
                silent = true;
            }
        }
        _simulator.Market.Faults.Stalled = false;

        Assert.True(silent, $"{inFlight} frames arrived after the stall began");
    }

    [Fact]
    public async Task Drop_aborts_every_connection()
    {
        await using var socket = await AuthenticatedAsync();

        _simulator.Market.DropAll();

        // A network failure: no close frame, the read fails at once (well inside the 5 s the read may wait).
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => socket.ReceiveFrameAsync(TimeSpan.FromSeconds(5)));
        Assert.IsType<WebSocketException>(failure);
    }

    [Fact]
    public async Task Late_bars_carry_an_old_window()
    {
        await using var socket = await AuthenticatedAsync("A.XOM");

        _simulator.Market.SendLate("XOM", 1234.5m);

        var late = await socket.ExpectAsync(m => m.TryGetProperty("c", out var c) && c.GetDecimal() == 1234.5m);
        Assert.True(late.GetProperty("e").GetInt64() < DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 30_000);
    }

    [Fact]
    public async Task The_control_endpoint_sets_faults_and_reports()
    {
        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };

        using var set = await http.PostAsJsonAsync("/_sim/faults", new { refuseAuth = true, frameDelayMs = 5 });
        var report = await http.GetFromJsonAsync<SimulatorReport>("/_sim/report");

        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.True(_simulator.Market.Faults.RefuseAuth);
        Assert.Equal(TimeSpan.FromMilliseconds(5), _simulator.Market.Faults.FrameDelay);
        Assert.NotNull(report);
    }

    [Fact]
    public async Task The_control_endpoint_is_off_unless_configured()
    {
        await using var plain = await SimulatorServer.StartAsync(new SimulatorOptions());
        using var http = new HttpClient { BaseAddress = plain.HttpUrl };
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/_sim/drop", null)).StatusCode);
    }

    [Fact]
    public async Task The_snapshot_has_Polygons_shape()
    {
        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/v2/snapshot/locale/us/markets/stocks/tickers/AAPL?apiKey=k"));
        var ticker = doc.RootElement.GetProperty("ticker");

        Assert.Equal("OK", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("AAPL", ticker.GetProperty("ticker").GetString());
        foreach (var part in new[] { "day", "prevDay", "min", "lastTrade" }) Assert.Equal(System.Text.Json.JsonValueKind.Object, ticker.GetProperty(part).ValueKind);
        Assert.Equal(_simulator.Market.Walk("AAPL").PreviousClose, ticker.GetProperty("prevDay").GetProperty("c").GetDecimal());
        Assert.True(ticker.GetProperty("updated").GetInt64() > 1_000_000_000_000_000_000L, "updated is in nanoseconds");
    }

    [Fact]
    public async Task Past_the_plan_rate_REST_requests_are_answered_429_with_Retry_After_and_counted()
    {
        using var http = new HttpClient { BaseAddress = _simulator.HttpUrl };
        using var set = await http.PostAsJsonAsync("/_sim/faults", new { restRequestsPerSecond = 3 });
        Assert.Equal(3, _simulator.Market.Faults.RestRequestsPerSecond);

        // Sent at once: at most 3 of them fall in the window, whatever the timing.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => http.GetAsync("/v1/marketstatus/now?apiKey=k")));

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), 1, 3);
        Assert.Equal(10 - answers.Count(a => a.StatusCode == HttpStatusCode.OK), limited.Count);
        Assert.All(limited, a => Assert.NotNull(a.Headers.RetryAfter));
        Assert.Equal(limited.Count, _simulator.Market.Faults.RestRateLimited);

        _simulator.Market.Faults.Reset();
        Assert.Equal(0, _simulator.Market.Faults.RestRequestsPerSecond);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/marketstatus/now?apiKey=k")).StatusCode);
    }
}
