using System.Net.WebSockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Fanout;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>A client that stops reading is cut off after the send timeout; the others never notice.</summary>
public sealed class StuckClientSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(
        new Dictionary<string, string?> { ["Quotes:ClientSendTimeout"] = "00:00:02" },
        new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 50 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_client_that_reads_nothing_is_disconnected_and_the_others_keep_streaming()
    {
        var symbols = Enumerable.Range(0, 50).Select(i => $"K{i}").ToArray();
        var subscribe = JsonSerializer.Serialize(new { type = "subscribe", symbols });
        await using var healthy = await _server.ConnectAsync();
        await healthy.SendAsync(subscribe);
        await healthy.ExpectAsync(m => m.GetProperty("type").GetString() == "quote");

        // The stuck client subscribes, then never calls ReceiveAsync again: the TCP buffers fill and the server's send blocks.
        using var stuck = new ClientWebSocket();
        stuck.Options.SetBuffer(1024, 1024);
        await stuck.ConnectAsync(_server.SocketUri(), CancellationToken.None);
        await stuck.SendAsync(System.Text.Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, CancellationToken.None);

        // The healthy client keeps reading all along.
        using var stop = new CancellationTokenSource();
        var quotes = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && await healthy.ReceiveFrameAsync(TimeSpan.FromSeconds(30)) is { } frame)
                if (frame.Contains("\"type\":\"quote\"")) Interlocked.Increment(ref quotes);
        });

        var hub = _server.Services.GetRequiredService<IRequiredActor<NodeHub>>().ActorRef;
        await Eventually.HoldsAsync(async () =>
            Assert.Equal(1, (await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, TimeSpan.FromSeconds(3))).Sessions),
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        var before = Volatile.Read(ref quotes);
        await Eventually.HoldsAsync(() => Assert.True(Volatile.Read(ref quotes) > before + 100));
        stop.Cancel();
        await reader.ContinueWith(_ => { });

        Assert.Equal(WebSocketState.Open, healthy.State);
    }
}
