using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Sessions;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// The client protocol's own limits are settings (<c>Limits:MaxSymbolsPerConnection</c>, <c>Limits:MaxFrameBytes</c>,
/// <c>Limits:MaxJsonDepth</c>, <c>Limits:MaxFacadeJsonDepth</c>, <c>Limits:PingInterval</c>, <c>Limits:PongTimeout</c>, <c>Limits:CloseHandshakeTimeout</c>, and the
/// REST <c>Limits:MaxHistoryBars</c>):
/// lowered, each takes effect, and what the client sees names the configured value. One host, every limit lowered.
/// </summary>
public sealed class ProtocolLimitSettingsSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:MaxSymbolsPerConnection"] = "3",
        ["Limits:MaxFrameBytes"] = "1024",
        ["Limits:MaxJsonDepth"] = "3",
        ["Limits:MaxFacadeJsonDepth"] = "1", // flat actions only
        ["Limits:PingInterval"] = "00:00:01",
        ["Limits:PongTimeout"] = "00:00:05", // the other specs' clients may pause reading that long without being dropped
        ["Limits:MaxHistoryBars"] = "5",
        ["Limits:CloseHandshakeTimeout"] = "00:00:01",
        ["Quotes:FacadeAuthTimeout"] = "00:00:01", // the server's close to wait on: a façade socket that never authenticates
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonElement> ReplyAsync(TestSocket socket, string id) =>
        await socket.ExpectAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String && i.GetString() == id);

    /// <summary>A <c>/polygon/stocks</c> socket that has authenticated.</summary>
    private async Task<TestSocket> AuthenticatedFacadeAsync()
    {
        var socket = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await socket.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await socket.ExpectAsync(m => m.GetProperty("status").GetString() == "auth_success");
        return socket;
    }

    [Fact]
    public async Task A_lowered_symbol_cap_is_announced_and_refuses_the_next_symbol_with_SYMBOL_LIMIT_naming_it()
    {
        await using var socket = await TestSocket.ConnectAsync(_server.SocketUri());
        Assert.Equal(3, (await socket.ExpectAsync("type", "welcome")).GetProperty("maxSymbols").GetInt32());

        await socket.SendAsync("""{"type":"subscribe","symbols":["AAPL","MSFT","TSLA"],"id":"fits"}""");
        var fits = await ReplyAsync(socket, "fits");
        Assert.Equal("subscribed", fits.GetProperty("type").GetString());
        Assert.Equal(3, fits.GetProperty("limit").GetInt32());

        await socket.SendAsync("""{"type":"subscribe","symbols":["NVDA"],"id":"past"}""");
        var past = await ReplyAsync(socket, "past");
        Assert.Equal(ErrorCodes.SymbolLimit, past.GetProperty("code").GetString());
        Assert.Contains("at most 3 symbols", past.GetProperty("message").GetString());
        Assert.DoesNotContain("NVDA", (await _server.UpstreamReportAsync()).Wanted);
    }

    [Fact]
    public async Task The_facade_socket_refuses_an_action_nested_past_the_lowered_depth_and_takes_a_flat_one()
    {
        await using var socket = await AuthenticatedFacadeAsync();

        // Depth 2 (within the contract's 4): not read as an action at all, so nothing is subscribed; the error says why.
        var from = socket.Received.Count;
        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL","extra":{}}""");
        var refusal = await socket.ExpectAsync(m => m.GetProperty("status").GetString() == "error", from: from);
        Assert.Equal("the message is nested more than 1 level deep", refusal.GetProperty("message").GetString());
        from = socket.Received.Count;
        await socket.SendAsync("""{"action":"subscribe",""");
        refusal = await socket.ExpectAsync(m => m.GetProperty("status").GetString() == "error", from: from);
        Assert.Equal("the message is not valid JSON", refusal.GetProperty("message").GetString());

        from = socket.Received.Count;
        await socket.SendAsync("""{"action":"subscribe","params":"A.MSFT","extra":1}""");
        await socket.ExpectAsync(m => m.TryGetProperty("message", out var t) && t.GetString() == "subscribed to: A.MSFT", from: from);
        Assert.DoesNotContain(socket.Received, m => m.TryGetProperty("message", out var t) && t.GetString() == "subscribed to: A.AAPL");
    }

    [Fact]
    public async Task A_client_that_never_answers_the_servers_close_is_dropped_after_the_lowered_close_handshake_timeout()
    {
        var unanswered = await SilentWebSocket.CloseUnansweredForAsync(_server.BaseUrl, "/polygon/stocks", TimeSpan.FromSeconds(30));
        // 1 s configured: dropped then, not after the default 5 s (a busy machine may fire the timer late, never early).
        Assert.InRange(unanswered, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task The_facade_socket_applies_the_same_lowered_symbol_cap()
    {
        await using var socket = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await socket.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL,A.MSFT,A.TSLA,A.NVDA"}""");

        var refusal = await socket.ExpectAsync(m => m.GetProperty("ev").GetString() == "status" && m.GetProperty("status").GetString() == "error");
        Assert.Contains("at most 3 tickers", refusal.GetProperty("message").GetString());
        Assert.Contains("A.NVDA", refusal.GetProperty("message").GetString());
        Assert.Equal(3, socket.Received.Count(m => m.TryGetProperty("message", out var t) && t.GetString()!.StartsWith("subscribed to: ")));
    }

    [Fact]
    public async Task A_frame_past_the_lowered_size_gets_MESSAGE_TOO_LARGE_naming_it_and_the_connection_goes_on()
    {
        await using var socket = await _server.ConnectAsync();
        var padding = new string('x', 1024);
        await socket.SendAsync($$"""{"type":"ping","pad":"{{padding}}"}""");
        var refused = await socket.ExpectAsync("type", "error");
        Assert.Equal(ErrorCodes.MessageTooLarge, refused.GetProperty("code").GetString());
        Assert.Contains("at most 1024 bytes", refused.GetProperty("message").GetString());

        // Nesting within the lowered depth parses; one level deeper is BAD_JSON.
        await socket.SendAsync("""{"type":"ping","id":"deep-enough","x":[[1]]}""");
        Assert.Equal("pong", (await ReplyAsync(socket, "deep-enough")).GetProperty("type").GetString());
        var from = socket.Received.Count;
        await socket.SendAsync("""{"type":"ping","x":[[[1]]]}""");
        var deep = await socket.ExpectAsync("type", "error", from: from);
        Assert.Equal(ErrorCodes.BadJson, deep.GetProperty("code").GetString());
        Assert.Equal("the message is nested more than 3 levels deep", deep.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_facade_socket_answers_a_frame_past_the_lowered_size_with_an_error_naming_it_and_goes_on()
    {
        await using var socket = await AuthenticatedFacadeAsync();

        var from = socket.Received.Count;
        await socket.SendAsync($$"""{"action":"subscribe","params":"A.AAPL","pad":"{{new string('x', 1024)}}"}""");
        var refusal = await socket.ExpectAsync(m => m.GetProperty("status").GetString() == "error", from: from);
        Assert.Equal("a client message may be at most 1024 bytes", refusal.GetProperty("message").GetString());

        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL"}""");
        await socket.ExpectAsync(m => m.TryGetProperty("message", out var t) && t.GetString() == "subscribed to: A.AAPL", from: from);
    }

    [Fact]
    public async Task A_client_that_does_not_answer_pings_is_dropped_after_the_lowered_interval_and_timeout_and_counted_as_keepalive()
    {
        var closes = _server.Services.GetRequiredService<Quotes.Actors.Telemetry.QuotesMetrics>().Sockets;
        // First a client that closes as a client does: counted as `client`.
        await using (var polite = await TestSocket.ConnectAsync(_server.SocketUri()))
        {
            var politeSession = "session-" + (await polite.ExpectAsync("type", "welcome")).GetProperty("sessionId").GetString();
            await polite.CloseAsync();
            await Eventually.HoldsAsync(() => Assert.Contains(_server.Logs.Lines, l => l.Contains("Client disconnected") && l.Contains(politeSession)),
                TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal((1, 0), (closes.Ended(SocketCloseReason.Client), closes.Ended(SocketCloseReason.KeepAlive)));

        // No client keep-alive of its own, and after the status nothing is read: .NET answers a ping only while it reads.
        await using var silent = await TestSocket.ConnectAsync(_server.SocketUri(), o => o.KeepAliveInterval = TimeSpan.Zero);
        var session = "session-" + (await silent.ExpectAsync("type", "welcome")).GetProperty("sessionId").GetString();
        await silent.ExpectAsync("type", "status");

        // With the contract's 20 s + 30 s this would take 50 s; lowered to 1 s + 5 s, the server gives up within 6 s.
        await Eventually.HoldsAsync(() => Assert.Contains(_server.Logs.Lines, l => l.Contains("Client disconnected") && l.Contains(session)),
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        // Counted before that line: a reason of its own, not `client`.
        Assert.Equal((1, 1), (closes.Ended(SocketCloseReason.Client), closes.Ended(SocketCloseReason.KeepAlive)));
        await Assert.ThrowsAnyAsync<WebSocketException>(async () =>
        {
            while (await silent.ReceiveFrameAsync() is not null) { }
        });
    }

    [Fact]
    public async Task A_history_answer_holds_at_most_the_lowered_bar_count()
    {
        using var http = _server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
        using var response = await http.GetAsync("/api/market/historical/AAPL?from=2026-01-01&to=2026-01-31");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(5, body.RootElement.GetProperty("data").GetProperty("bars").GetArrayLength());
    }
}
