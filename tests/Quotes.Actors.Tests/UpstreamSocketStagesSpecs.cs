using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.Util;
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

    private Task<PolygonSocket> ConnectAsync(UpstreamFence? fence = null) => PolygonSocket.ConnectAsync(Stocks, new QuotesOptions(), fence ?? new UpstreamFence());

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

    private static Task SendAsync(PolygonSocket socket, Outbound action) => socket.SendAsync(action.Text);

    private static Outbound Auth(int link = 1) => new(link, SubscribeBatches.Auth(Key));

    [Fact]
    public async Task The_socket_out_stage_waits_for_its_links_opening_then_sends_each_action_in_order()
    {
        using var fence = new UpstreamFence().StartWatch(); // beating: this spec may take longer than one unrenewed permit
        var socket = await ConnectAsync(fence);
        var frames = UpstreamStages.SocketIn(socket).RunWith(this.SinkProbe<InboundFrame>(), Sys.Materializer());
        var opening = new TaskCompletionSource<PolygonSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actions = this.SourceProbe<Outbound>().To(UpstreamStages.SocketOut(opening.Task, SendAsync)).Run(Sys.Materializer());
        await frames.RequestAsync(3);
        Assert.Contains("\"connected\"", TextOf(await frames.ExpectNextAsync()));

        await actions.SendNextAsync(Auth());
        await frames.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // not open yet: nothing went out, so no answer
        opening.SetResult(socket);

        Assert.Contains("auth_success", TextOf(await frames.ExpectNextAsync()));
        await actions.SendNextAsync(new Outbound(1, SubscribeBatches.Build("subscribe", ["AAPL"]).Single()));
        Assert.Contains("A.AAPL", TextOf(await frames.ExpectNextAsync()));
        await actions.SendCompleteAsync();
        await socket.CloseAsync();
    }

    [Fact]
    public async Task The_socket_out_stage_sends_nothing_once_the_fence_refuses_and_cuts_the_socket_without_failing()
    {
        var fence = new UpstreamFence();
        var socket = await ConnectAsync(fence);
        var frames = UpstreamStages.SocketIn(socket).RunWith(this.SinkProbe<InboundFrame>(), Sys.Materializer());
        var (actions, sent) = this.SourceProbe<Outbound>().ToMaterialized(UpstreamStages.SocketOut(Task.FromResult(socket), SendAsync), Keep.Both)
            .Run(Sys.Materializer());
        await frames.RequestAsync(2);
        await frames.ExpectNextAsync(); // connected

        fence.Close();
        await actions.SendNextAsync(Auth());

        Assert.IsType<WebSocketException>(await frames.ExpectErrorAsync()); // no auth_success: the auth never went out
        Assert.StartsWith("fenced", socket.CloseReason);
        // The sink did not fail (that would end the link before its reader said why): it completes when its input does.
        await actions.SendCompleteAsync();
        await sent.WaitAsync(RemainingOrDefault);
    }

    [Fact]
    public async Task A_links_sending_side_ends_when_its_socket_closes()
    {
        var socket = await ConnectAsync();
        var (actions, frames) = this.SourceProbe<Outbound>()
            .Via(UpstreamStages.Link(Task.FromResult(socket), SendAsync, s => s.ReadAsync(), s => s.CloseAsync()))
            .ToMaterialized(this.SinkProbe<InboundFrame>(), Keep.Both)
            .Run(Sys.Materializer());
        await frames.RequestAsync(3);
        Assert.Contains("\"connected\"", TextOf(await frames.ExpectNextAsync()));
        await actions.SendNextAsync(Auth());
        Assert.Contains("auth_success", TextOf(await frames.ExpectNextAsync()));

        _simulator.Market.DropAll();

        Assert.IsType<WebSocketException>(await frames.ExpectErrorAsync());
        await actions.ExpectCancellationAsync(); // one link, one socket: its sending side ended with it
    }

    [Fact]
    public async Task A_link_that_does_not_open_ends_both_its_sides()
    {
        var (actions, frames) = this.SourceProbe<Outbound>()
            .Via(UpstreamStages.Link(Task.FromException<PolygonSocket>(new WebSocketException("refused (spec)")), SendAsync,
                s => s.ReadAsync(), s => s.CloseAsync()))
            .ToMaterialized(this.SinkProbe<InboundFrame>(), Keep.Both)
            .Run(Sys.Materializer());
        await frames.RequestAsync(1);

        Assert.Equal("refused (spec)", (await frames.ExpectErrorAsync()).GetBaseException().Message);
        await actions.ExpectCancellationAsync();
    }

    [Fact]
    public async Task The_actions_stage_sends_a_burst_at_once_and_paces_the_rest()
    {
        const int beyond = 10; // actions past the burst: each needs a token earned at 1/ActionsPerSecond (50 ms)
        var queue = Channel.CreateUnbounded<Outbound>();
        for (var i = 0; i < UpstreamStages.ActionBurst + beyond; i++) Assert.True(queue.Writer.TryWrite(new Outbound(1, $"a{i}")));
        var sinceStart = Stopwatch.StartNew(); // started before the stage (and its full bucket of ActionBurst tokens) exists
        var sink = UpstreamStages.Actions(queue.Reader, _ => Task.FromResult(true)).RunWith(this.SinkProbe<Outbound>(), Sys.Materializer());

        await sink.RequestAsync(UpstreamStages.ActionBurst + beyond);
        for (var i = 0; i < UpstreamStages.ActionBurst + beyond; i++) Assert.Equal($"a{i}", (await sink.ExpectNextAsync()).Text);

        // The burst spends the bucket; the ten after it need ten tokens, earned no sooner than 500 ms after the stage
        // started (less the scheduler's slack), however slow the machine: measured from the start, not from the burst's
        // end, since a burst that itself took long has earned some tokens already.
        var paced = TimeSpan.FromMilliseconds(beyond * 1000.0 / UpstreamStages.ActionsPerSecond);
        Assert.True(sinceStart.Elapsed >= paced * 0.8, $"{sinceStart.Elapsed}");
    }

    [Fact]
    public async Task The_actions_stage_holds_each_action_until_its_link_is_open_and_skips_those_whose_link_never_opened()
    {
        var queue = Channel.CreateUnbounded<Outbound>();
        var link2 = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = UpstreamStages.Actions(queue.Reader, link => link switch { 1 => Task.FromResult(false), 2 => link2.Task, _ => Task.FromResult(true) })
            .RunWith(this.SinkProbe<Outbound>(), Sys.Materializer());
        foreach (var (link, text) in new[] { (1, "gone"), (2, "next1"), (2, "next2"), (3, "later") }) Assert.True(queue.Writer.TryWrite(new Outbound(link, text)));

        await sink.RequestAsync(3);
        await sink.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // link 1 never opened; link 2 is not open yet
        link2.SetResult(true);

        Assert.Equal("next1", (await sink.ExpectNextAsync()).Text);
        Assert.Equal("next2", (await sink.ExpectNextAsync()).Text);
        Assert.Equal("later", (await sink.ExpectNextAsync()).Text);
    }

    [Fact]
    public async Task The_restart_stage_opens_the_next_link_whenever_one_completes_or_fails_and_ends_whole_when_cancelled()
    {
        var calls = 0;
        var (actions, frames) = this.SourceProbe<Outbound>()
            .Via(UpstreamStages.Restarting(() =>
            {
                var link = Interlocked.Increment(ref calls);
                var reads = 0;
                // Each link reads one frame and completes, but the second fails before it reads anything.
                return UpstreamStages.Link(Task.FromResult(link), (_, _) => Task.CompletedTask, _ => (link, reads++) switch
                {
                    (2, _) => Task.FromException<Option<InboundFrame>>(new WebSocketException("lost")),
                    (_, 0) => Task.FromResult(Option<InboundFrame>.Create(InboundFrame.Of(Encoding.UTF8.GetBytes($"c{link}")))),
                    _ => Task.FromResult(Option<InboundFrame>.None),
                }, _ => Task.FromResult(Done.Instance));
            }))
            .ToMaterialized(this.SinkProbe<InboundFrame>(), Keep.Both)
            .Run(Sys.Materializer());

        await frames.RequestAsync(3);

        // The second link failed and was never resumed: the third one's frame follows the first's.
        Assert.Equal("c1", TextOf(await frames.ExpectNextAsync()));
        Assert.Equal("c3", TextOf(await frames.ExpectNextAsync()));
        Assert.Equal("c4", TextOf(await frames.ExpectNextAsync()));
        await frames.CancelAsync();
        // Cancelled (as the kill switch does), the current link ends, and with it the actions' side: nothing is left running.
        await actions.ExpectCancellationAsync();
    }
}
