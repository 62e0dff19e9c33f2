using System.Net.WebSockets;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Connection caps per node and per key, and the per-connection command rate limit.</summary>
public sealed class LimitsSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:MaxConnections"] = "3",
        ["Quotes:CommandsPerSecond"] = "1",
        ["Quotes:CommandBurst"] = "5",
        ["Quotes:AbuseThreshold"] = "30",
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
        await using var client = await _server.ConnectAsync();
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
}
