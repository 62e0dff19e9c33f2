using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Host.WebSockets;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 1: sockets that never authenticate on <c>/polygon/stocks</c> spend a small pre-auth budget of their
/// own, never the node's client slots; a client slot is charged at <c>auth_success</c>; auth attempts are bounded.
/// </summary>
public sealed class PreAuthBudgetSpecs : IAsyncLifetime
{
    private const int NodeCap = 5;
    private const int PerAddressCap = 6;
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:MaxConnections"] = NodeCap.ToString(),
        ["Limits:MaxPreAuthConnections"] = "100",
        ["Limits:MaxPreAuthConnectionsPerIp"] = PerAddressCap.ToString(),
        ["Quotes:FacadeAuthTimeout"] = "00:00:05",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ConnectionLimiter Limiter => _server.Services.GetRequiredService<ConnectionLimiter>();

    private static Func<JsonElement, bool> Status(string status) =>
        m => m.TryGetProperty("ev", out var ev) && ev.GetString() == "status" && m.GetProperty("status").GetString() == status;

    private async Task<TestSocket> FacadeAsync()
    {
        var socket = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await socket.ExpectAsync(Status("connected"));
        return socket;
    }

    private static async Task ExpectClosedAsync(TestSocket socket, WebSocketCloseStatus status)
    {
        while (await socket.ReceiveFrameAsync() is not null) { }
        Assert.Equal(status, socket.CloseStatus);
    }

    [Fact]
    public async Task Unauthenticated_facade_sockets_past_the_node_cap_leave_a_keyed_client_able_to_connect_and_stream()
    {
        // The measured attack: as many never-authenticating sockets as the node has client slots, and more.
        var idle = new List<TestSocket>();
        for (var i = 0; i < PerAddressCap; i++) idle.Add(await FacadeAsync());
        Assert.Equal(PerAddressCap, Limiter.PreAuth);

        // One address past its pre-auth budget is refused like any client at a limit.
        await using (var refused = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri))
            await ExpectClosedAsync(refused, (WebSocketCloseStatus)1013);

        // A keyed client still gets a slot and streams, while every idle socket is still open.
        await using var client = await _server.ConnectAsync();
        Assert.Equal(PerAddressCap, Limiter.PreAuth);
        Assert.All(idle, s => Assert.Equal(WebSocketState.Open, s.State));
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL") && !m.TryGetProperty("snapshot", out _));

        // Nothing lost: the idle sockets end with auth_timeout (1008) and give their budget back.
        foreach (var socket in idle)
        {
            await socket.ExpectAsync(Status("auth_timeout"));
            await ExpectClosedAsync(socket, WebSocketCloseStatus.PolicyViolation);
            await socket.DisposeAsync();
        }
        await Eventually.HoldsAsync(() => Assert.Equal(0, Limiter.PreAuth));
    }

    [Fact]
    public async Task A_client_slot_is_charged_at_auth_success_and_a_full_node_answers_max_connections()
    {
        var keyed = new List<TestSocket>();
        for (var i = 0; i < NodeCap - 1; i++) keyed.Add(await _server.ConnectAsync());

        await using var first = await FacadeAsync();
        Assert.Equal(NodeCap - 1, Limiter.Open); // connected, not yet charged
        await first.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await first.ExpectAsync(Status("auth_success"));
        Assert.Equal(NodeCap, Limiter.Open);
        Assert.Equal(0, Limiter.PreAuth);

        // The node is full: a new façade socket still connects (pre-auth) but its valid auth finds no slot.
        await using (var second = await FacadeAsync())
        {
            await second.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
            await second.ExpectAsync(Status("max_connections"));
            await ExpectClosedAsync(second, (WebSocketCloseStatus)1013);
        }

        // A freed slot is taken at the next auth_success; the authenticated façade client streams meanwhile.
        await keyed[0].DisposeAsync();
        await Eventually.HoldsAsync(() => Assert.Equal(NodeCap - 1, Limiter.Open));
        await using var third = await FacadeAsync();
        await third.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await third.ExpectAsync(Status("auth_success"));
        await first.SendAsync("""{"action":"subscribe","params":"A.MSFT"}""");
        await first.ExpectAsync(m => m.GetProperty("ev").GetString() == "A" && m.GetProperty("sym").GetString() == "MSFT");
        foreach (var socket in keyed.Skip(1)) await socket.DisposeAsync();
    }

    [Fact]
    public async Task A_facade_socket_gets_a_bounded_number_of_auth_attempts()
    {
        await using var socket = await FacadeAsync();
        for (var i = 0; i < 3; i++) await socket.SendAsync($$"""{"action":"auth","params":"guess-{{i}}"}""");

        await ExpectClosedAsync(socket, WebSocketCloseStatus.PolicyViolation);
        Assert.Equal(3, socket.Received.Count(Status("auth_failed")));
        Assert.Equal("too many failed auth attempts", socket.CloseStatusDescription);
        await Eventually.HoldsAsync(() => Assert.Equal(0, Limiter.PreAuth));
    }
}
