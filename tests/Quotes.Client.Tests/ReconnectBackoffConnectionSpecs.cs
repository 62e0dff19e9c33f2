using System.Net.WebSockets;
using System.Threading.Channels;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>The backoff on a real socket: a server that says welcome and closes at once does not get a reconnect storm.</summary>
public sealed class ReconnectBackoffConnectionSpecs
{
    [Fact]
    public async Task Should_keep_growing_the_delay_when_each_connection_is_closed_right_after_welcome()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many requests");
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url,
            ApiKey = TestHost.ClientKey,
            MinReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(10),
        });
        var drops = Channel.CreateUnbounded<ConnectionStateChangedEventArgs>();
        client.StateChanged += (_, e) => { if (e.State == ConnectionState.Reconnecting) drops.Writer.TryWrite(e); };

        await client.ConnectAsync(timeout.Token);

        double[] steps = [0.1, 0.2, 0.4, 0.8, 1.6]; // each connection said welcome, and none stayed up
        foreach (var step in steps)
        {
            var drop = await drops.Reader.ReadAsync(timeout.Token);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, drop.CloseStatus);
            Assert.InRange(drop.Delay!.Value.TotalSeconds, step / 2, step);
        }
    }
}
