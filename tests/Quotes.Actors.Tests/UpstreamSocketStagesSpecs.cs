using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Pipeline;
using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The pipeline's socket stages and its pacing, driven by stream probes: the socket ones against a real simulator over a
/// real WebSocket.
/// </summary>
public sealed class UpstreamSocketStagesSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private const string Key = "socket-stage-key";
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private Uri Stocks => new PolygonOptions { WebSocketUrl = _simulator.WebSocketUrl.ToString() }.StocksSocketUri();

    private Task<PolygonSocket> ConnectAsync(UpstreamFence? fence = null) => PolygonSocket.ConnectAsync(Stocks, new QuotesSettings(), fence ?? new UpstreamFence());

    private static string TextOf(InboundFrame frame) => Encoding.UTF8.GetString(frame.Text!);

    private static FrameFaults Faults() => new((_, _, _) => { });

    [Fact]
    public async Task The_socket_in_stage_reads_each_message_and_fails_when_the_connection_is_lost()
    {
        var socket = await ConnectAsync();
        var frames = UpstreamStages.SocketIn(socket).RunWith(this.SinkProbe<InboundFrame>(), Sys.Materializer());

        await frames.RequestAsync(2);
        Assert.Contains("\"connected\"", TextOf(await frames.ExpectNextAsync()));

        _simulator.Market.DropAll();

        var error = await frames.ExpectErrorAsync();
        Assert.IsType<WebSocketException>(error);
        Assert.StartsWith("connection lost", socket.CloseReason);
    }

    [Fact]
    public async Task The_socket_out_stage_sends_each_action_in_order()
    {
        var socket = await ConnectAsync();
        var frames = UpstreamStages.SocketIn(socket).RunWith(this.SinkProbe<InboundFrame>(), Sys.Materializer());
        var actions = this.SourceProbe<string>().To(UpstreamStages.SocketOut(socket)).Run(Sys.Materializer());

        await frames.RequestAsync(2);
        Assert.Contains("\"connected\"", TextOf(await frames.ExpectNextAsync()));
        await actions.SendNextAsync(SubscribeBatches.Auth(Key));

        Assert.Contains("auth_success", TextOf(await frames.ExpectNextAsync()));
        await actions.SendCompleteAsync();
        await socket.CloseAsync();
    }

    [Fact]
    public async Task The_socket_out_stage_sends_nothing_once_the_fence_refuses_and_cuts_the_socket()
    {
        var fence = new UpstreamFence();
        var socket = await ConnectAsync(fence);
        var frames = UpstreamStages.SocketIn(socket).RunWith(this.SinkProbe<InboundFrame>(), Sys.Materializer());
        var (actions, sent) = this.SourceProbe<string>().ToMaterialized(UpstreamStages.SocketOut(socket), Keep.Both).Run(Sys.Materializer());
        await frames.RequestAsync(2);
        await frames.ExpectNextAsync(); // connected

        fence.Close();
        await actions.SendNextAsync(SubscribeBatches.Auth(Key));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => sent.WaitAsync(RemainingOrDefault));
        Assert.Contains("fenced", refused.GetBaseException().Message);
        Assert.IsType<WebSocketException>(await frames.ExpectErrorAsync()); // no auth_success: the auth never went out
        Assert.StartsWith("fenced", socket.CloseReason);
    }

    [Fact]
    public async Task The_actions_stage_sends_a_burst_at_once_and_paces_the_rest()
    {
        var queue = Channel.CreateUnbounded<string>();
        var sink = UpstreamStages.Actions(queue.Reader).RunWith(this.SinkProbe<string>(), Sys.Materializer());
        for (var i = 0; i <= UpstreamStages.ActionBurst; i++) Assert.True(queue.Writer.TryWrite($"a{i}"));

        await sink.RequestAsync(UpstreamStages.ActionBurst + 1);
        for (var i = 0; i < UpstreamStages.ActionBurst; i++) Assert.Equal($"a{i}", await sink.ExpectNextAsync());
        var afterBurst = Stopwatch.StartNew();
        Assert.Equal($"a{UpstreamStages.ActionBurst}", await sink.ExpectNextAsync());

        // One more after the burst waits for its token: 1/ActionsPerSecond (50 ms), less the scheduler's slack.
        Assert.True(afterBurst.Elapsed >= TimeSpan.FromMilliseconds(1000.0 / UpstreamStages.ActionsPerSecond / 2), $"{afterBurst.Elapsed}");
    }

    [Fact]
    public async Task The_restart_stage_opens_the_next_connection_whenever_one_completes_or_fails()
    {
        var calls = 0;
        var frames = UpstreamStages.Restarting(() => Interlocked.Increment(ref calls) switch
            {
                2 => Source.Failed<InboundFrame>(new WebSocketException("lost")),
                var n => Source.Single(InboundFrame.Of(Encoding.UTF8.GetBytes($"c{n}"))),
            })
            .RunWith(this.SinkProbe<InboundFrame>(), Sys.Materializer());

        await frames.RequestAsync(3);

        // The second connection failed and was never resumed: the third one's frame follows the first's.
        Assert.Equal("c1", TextOf(await frames.ExpectNextAsync()));
        Assert.Equal("c3", TextOf(await frames.ExpectNextAsync()));
        Assert.Equal("c4", TextOf(await frames.ExpectNextAsync()));
        await frames.CancelAsync();
    }
}
