using System.Net.WebSockets;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Connection caps per node and per key, the per-connection command rate limit, and the handshake timeout.</summary>
public sealed class LimitsSpecs : IAsyncLifetime
{
    /// <summary>Far from Kestrel's default (10 s), so a host that ignored the setting would fail the timing check.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:MaxConnections"] = "3",
        ["Quotes:CommandsPerSecond"] = "1",
        ["Quotes:CommandBurst"] = "5",
        ["Quotes:AbuseThreshold"] = "30",
        ["Limits:HandshakeTimeout"] = HandshakeTimeout.ToString(),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Past_the_node_limit_a_client_is_closed_with_1013_and_a_freed_slot_is_reused()
    {
        var open = new List<TestSocket>();
        for (var i = 0; i < 3; i++) open.Add(await _server.ConnectAsync());

        await using var refused = await TestSocket.ConnectAsync(_server.SocketUri());
        Assert.Null(await refused.ReceiveFrameAsync());
        Assert.Equal((WebSocketCloseStatus)1013, refused.CloseStatus);

        await open[0].DisposeAsync();
        await Eventually.HoldsAsync(async () =>
        {
            await using var again = await TestSocket.ConnectAsync(_server.SocketUri());
            Assert.NotNull(await again.ReceiveFrameAsync());
        });
        foreach (var socket in open.Skip(1)) await socket.DisposeAsync();
    }

    [Fact]
    public async Task A_flood_of_commands_is_RATE_LIMITED_and_sustained_abuse_is_closed_with_1008()
    {
        await using var client = await TestSocket.ConnectAsync(_server.SocketUri());
        var welcome = await client.ExpectAsync("type", "welcome"); // announces the lowered budget, for clients to pace under
        Assert.Equal((1, 5), (welcome.GetProperty("commandsPerSecond").GetDouble(), welcome.GetProperty("commandBurst").GetInt32()));
        await client.ExpectAsync("type", "status");
        for (var i = 0; i < 10; i++) await client.SendAsync("""{"type":"ping"}""");
        var limited = await client.ExpectAsync(m => m.GetProperty("type").GetString() == "error");
        Assert.Equal(ErrorCodes.RateLimited, limited.GetProperty("code").GetString());

        try
        {
            for (var i = 0; i < 100; i++) await client.SendAsync("""{"type":"ping"}""");
        }
        catch (WebSocketException)
        {
            // the server may already have closed
        }
        while (await client.ReceiveFrameAsync() is not null) { }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
    }

    [Fact]
    public async Task A_peer_that_never_finishes_its_upgrade_request_is_disconnected_after_the_handshake_timeout()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        var sinceConnect = System.Diagnostics.Stopwatch.StartNew(); // before the connect: the server's clock cannot start earlier
        await tcp.ConnectAsync(_server.BaseUrl.Host, _server.BaseUrl.Port);
        var stream = tcp.GetStream();
        // A request head that never ends (no blank line): a slowloris on the upgrade.
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /ws?apiKey={QuotesServer.ClientKey} HTTP/1.1\r\nHost: {_server.BaseUrl.Authority}\r\nUpgrade: websocket\r\n"));

        // The server gives up on it (408 or a plain close) once the setting has passed, not before, and soon after: Kestrel
        // pads the timeout by one heartbeat and checks it once a heartbeat (1 s), and a busy machine gets 5 s more.
        // Kestrel's own default (10 s) would be past that bound.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1024];
        var response = new System.Text.StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, budget.Token)) > 0) response.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        var closedAfter = sinceConnect.Elapsed;
        Assert.True(response.Length == 0 || response.ToString().StartsWith("HTTP/1.1 408"), response.ToString());
        Assert.InRange(closedAfter, HandshakeTimeout, HandshakeTimeout + TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(5));

        // Meanwhile a normal client connects fine (ConnectAsync waits for its welcome).
        await using var client = await _server.ConnectAsync();
        Assert.Equal(WebSocketState.Open, client.State);
    }
}
