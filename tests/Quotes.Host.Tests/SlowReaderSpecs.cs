using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Sessions;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// A client that stops reading at a live feed's pace (2 aggregates a second per symbol, not the 50 of
/// <see cref="StuckClientSpecs"/>): the node's small kernel send buffer (<c>Quotes:ClientSendBufferBytes</c>) makes its
/// sends block within seconds, so the outbox keeps the newest quote per symbol and the send timeout closes it with 1008.
/// Found by an outside audit: with the kernel's own buffer (grown to megabytes) such a client got minutes of old quotes
/// in order, and was finally cut by the keep-alive without a close frame, counted as an ordinary close.
/// </summary>
public sealed class SlowReaderSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(
        new Dictionary<string, string?> { ["Quotes:ClientSendTimeout"] = "00:00:02" },
        new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 2 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_client_that_stops_reading_a_live_paced_feed_is_closed_as_a_slow_consumer_within_seconds()
    {
        var symbols = Enumerable.Range(0, 50).Select(i => $"S{i}").ToArray();
        var subscribe = JsonSerializer.Serialize(new { type = "subscribe", symbols });
        var counters = _server.Services.GetRequiredService<SocketCounters>();

        // A client whose own receive buffer is small (as on a busy phone): what it has not read stays on the server's side.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var stuck = new ClientWebSocket();
        await stuck.ConnectAsync(_server.SocketUri(), invoker, CancellationToken.None);
        await stuck.SendAsync(System.Text.Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, CancellationToken.None);

        // About 20 KB a second reach it. Waiting for the counter (the close is the event; 60 s is only the give-up).
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (counters.SlowConsumersClosed == 0 && DateTime.UtcNow < giveUp) await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, counters.SlowConsumersClosed);

        // It reads again: what was queued, then the 1008.
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        WebSocketReceiveResult result;
        do result = await stuck.ReceiveAsync(buffer, deadline.Token);
        while (result.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stuck.CloseStatus);
        Assert.Equal("slow consumer", stuck.CloseStatusDescription);
    }
}
