using System.Net.WebSockets;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>The per-key connection cap: one key cannot take the whole node; other keys still get in.</summary>
public sealed class KeyLimitSpecs : IAsyncLifetime
{
    private const string OtherKey = "another-client-key";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1"] = OtherKey,
        ["Limits:MaxConnectionsPerKey"] = "2",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Past_the_per_key_limit_that_key_gets_1013_while_another_key_connects()
    {
        await using var first = await _server.ConnectAsync();
        await using var second = await _server.ConnectAsync();

        await using var third = await TestSocket.ConnectAsync(_server.SocketUri());
        Assert.Null(await third.ReceiveFrameAsync());
        Assert.Equal((WebSocketCloseStatus)1013, third.CloseStatus);

        await using var other = await TestSocket.ConnectAsync(_server.SocketUri(key: OtherKey));
        Assert.Contains("welcome", await other.ReceiveFrameAsync());
    }
}
