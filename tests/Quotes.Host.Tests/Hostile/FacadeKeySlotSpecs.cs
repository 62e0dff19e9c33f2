using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Host.WebSockets;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 1: the per-key connection cap (<c>Limits:MaxConnectionsPerKey</c>) is charged to a façade socket at
/// <c>auth_success</c>, never at the upgrade: an unauthenticated socket holds no slot of any key.
/// </summary>
public sealed class FacadeKeySlotSpecs : IAsyncLifetime
{
    private const string OtherKey = "another-client-key";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1"] = OtherKey,
        ["Limits:MaxConnectionsPerKey"] = "1",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

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
    public async Task An_unauthenticated_facade_socket_takes_no_key_slot_and_an_authenticated_one_does()
    {
        var limiter = _server.Services.GetRequiredService<ConnectionLimiter>();
        await using var facade = await FacadeAsync();

        // Not authenticated yet: the key's only slot is free for a /ws client.
        await using (var keyed = await _server.ConnectAsync())
        {
            await keyed.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
            await keyed.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));
        }
        await Eventually.HoldsAsync(() => Assert.Equal(0, limiter.Open));

        // Authenticated, the façade socket holds the key's slot...
        await facade.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await facade.ExpectAsync(Status("auth_success"));
        Assert.Equal(1, limiter.Open);

        // ...so a second façade socket with the same key is refused at its auth, and a /ws client of that key too.
        await using (var second = await FacadeAsync())
        {
            await second.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
            await second.ExpectAsync(Status("max_connections"));
            await ExpectClosedAsync(second, (WebSocketCloseStatus)1013);
        }
        await using (var third = await TestSocket.ConnectAsync(_server.SocketUri()))
            await ExpectClosedAsync(third, (WebSocketCloseStatus)1013);

        // Other keys are not affected, and the authenticated façade client streams on.
        await using var other = await TestSocket.ConnectAsync(_server.SocketUri(key: OtherKey));
        Assert.Contains("welcome", await other.ReceiveFrameAsync());
        await facade.SendAsync("""{"action":"subscribe","params":"A.MSFT"}""");
        await facade.ExpectAsync(m => m.GetProperty("ev").GetString() == "A" && m.GetProperty("sym").GetString() == "MSFT");
    }
}
