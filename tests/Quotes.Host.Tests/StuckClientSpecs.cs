using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Sessions;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// A client that stops reading holds a bounded backlog (one quote per symbol, conflated), is closed with 1008
/// <c>slow consumer</c> after the send timeout, and the others never notice.
/// </summary>
public sealed class StuckClientSpecs : IAsyncLifetime
{
    private const string AdminKey = "stuck-spec-admin-key";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(
        new Dictionary<string, string?> { ["Quotes:ClientSendTimeout"] = "00:00:02", ["Admin:ApiKey"] = AdminKey },
        new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 50 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_client_that_reads_nothing_has_a_bounded_backlog_gets_1008_and_the_others_keep_streaming()
    {
        var symbols = Enumerable.Range(0, 50).Select(i => $"K{i}").ToArray();
        var subscribe = JsonSerializer.Serialize(new { type = "subscribe", symbols });
        await using var healthy = await _server.ConnectAsync();
        await healthy.SendAsync(subscribe);
        await healthy.ExpectAsync(m => m.GetProperty("type").GetString() == "quote");

        // The stuck client subscribes, then stops calling ReceiveAsync: the TCP buffers fill and the server's send blocks.
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

        // While the stuck client is stuck, the node's backlog stays within one quote per held symbol per client
        // (plus a few control replies), and newer quotes replace older ones instead of queueing. These are invariants:
        // every sample taken until the node gives up on the stuck client must show them (none is retried); only the
        // 1008 itself is waited for.
        var hub = _server.Services.GetRequiredService<IRequiredActor<NodeHub>>().ActorRef;
        var counters = _server.Services.GetRequiredService<SocketCounters>();
        var largest = 0;
        long conflated = 0;
        var samples = 0;
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var closed = counters.SlowConsumersClosed; // read first: the backlog sampled next is no older than this figure
            var backlog = (await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, TimeSpan.FromSeconds(3))).Backlog;
            samples++;
            largest = Math.Max(largest, backlog.LargestOutbox);
            conflated = Math.Max(conflated, backlog.Conflated);
            Assert.InRange(backlog.PendingQuotes, 0, 2 * symbols.Length);
            Assert.InRange(backlog.PendingControl, 0, 10);
            Assert.InRange(backlog.LargestOutbox, 0, symbols.Length + 10);
            Assert.InRange(closed, 0, 1);
            Assert.Equal(WebSocketState.Open, healthy.State);
            if (closed == 1) break;
            Assert.True(DateTime.UtcNow < giveUp, $"the stuck client was not closed as a slow consumer within 90 s ({samples} samples)");
            await Task.Delay(TimeSpan.FromMilliseconds(200)); // the sampling period, not a wait for an event
        }
        Assert.True(samples > 1, "the backlog was sampled while the stuck client was held");
        Assert.InRange(largest, 1, symbols.Length + 10);
        Assert.True(conflated > 0, "quotes for the stuck client were conflated");

        // It starts reading again within the grace: everything up to the close, then 1008 "slow consumer".
        await SlowConsumerClose.ReadUpToTheCloseAsync(stuck);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stuck.CloseStatus);
        Assert.Equal("slow consumer", stuck.CloseStatusDescription);

        // The node forgets it, and the healthy client never noticed.
        await Eventually.HoldsAsync(async () =>
            Assert.Equal(1, (await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, TimeSpan.FromSeconds(3))).Sessions));
        var before = Volatile.Read(ref quotes);
        await Eventually.HoldsAsync(() => Assert.True(Volatile.Read(ref quotes) > before + 100));
        stop.Cancel();
        await reader.ContinueWith(t => { _ = t.Exception; }); // a fault is observed here, not left to the finalizer
        Assert.Equal(WebSocketState.Open, healthy.State);

        // Operators see it: /admin/cluster's figure for this node, and /metrics (the stuck client's conflated quotes too).
        using var http = _server.CreateHttpClient(AdminKey);
        var cluster = await http.GetFromJsonAsync("/admin/cluster", Quotes.Contracts.QuotesJsonContext.Default.RestSuccessClusterReport);
        Assert.Equal(1, cluster!.Data.Nodes.Single().SlowConsumersClosed);
        await Eventually.HoldsAsync(async () =>
        {
            var metrics = await Metrics.MetricsScrape.GetAsync(_server.BaseUrl, AdminKey);
            Assert.Equal(1, metrics.Value("quotes_socket_closes_total", "reason=slow_consumer"));
            Assert.True(metrics.Value("quotes_delivery_conflated_total") >= conflated, "the stuck client's conflated quotes were counted");
        });
    }
}
