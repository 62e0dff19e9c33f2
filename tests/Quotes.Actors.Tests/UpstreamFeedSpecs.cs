using System.Diagnostics;
using Akka.Streams;
using Akka.TestKit;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Pipeline;
using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The holder's one graph across connections (<see cref="UpstreamFeed"/>), against a real simulator over a real WebSocket,
/// with a probe as its owner: the restart stage opens a link only when granted, each link is reported by its number.
/// </summary>
public sealed class UpstreamFeedSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private const string Key = "feed-spec-key";
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private (UpstreamFeed Feed, TestProbe Owner) Start()
    {
        var owner = CreateTestProbe();
        var uri = new PolygonOptions { WebSocketUrl = _simulator.WebSocketUrl.ToString() }.StocksSocketUri();
        var feed = new UpstreamFeed(uri, Key, owner, new AggregateRouting(Sys, CreateTestProbe().Ref), new QuotesSettings(), new UpstreamFence(),
            QuotesMetrics.For(Sys), new FrameFaults((_, _, _) => { }), Sys.Materializer());
        return (feed, owner);
    }

    private static async Task<UpstreamFeed.StatusReceived> StatusAsync(TestProbe owner, string status) =>
        (UpstreamFeed.StatusReceived)await owner.FishForMessageAsync(m => m is UpstreamFeed.StatusReceived s && s.Status.Status == status);

    [Fact]
    public async Task A_link_opens_only_when_granted_after_its_wait_and_sends_its_auth()
    {
        var (feed, owner) = Start();
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // nothing granted, nothing opened

        var granted = Stopwatch.StartNew();
        feed.ConnectAfter(1, TimeSpan.FromMilliseconds(400));

        Assert.Equal(1, (await owner.ExpectMsgAsync<UpstreamFeed.Connecting>()).Link);
        Assert.True(granted.Elapsed >= TimeSpan.FromMilliseconds(350), $"{granted.Elapsed}"); // the wait, less the timer's slack
        Assert.Equal(1, (await owner.ExpectMsgAsync<UpstreamFeed.Opened>()).Link);
        Assert.Equal(1, (await StatusAsync(owner, "auth_success")).Link);
        await feed.StopAsync();
    }

    [Fact]
    public async Task A_lost_link_is_reported_once_and_the_next_opens_on_the_next_grant_only()
    {
        var (feed, owner) = Start();
        feed.ConnectAfter(1, TimeSpan.Zero);
        await StatusAsync(owner, "auth_success");

        _simulator.Market.DropAll();

        var closed = (UpstreamFeed.Closed)await owner.FishForMessageAsync(m => m is UpstreamFeed.Closed);
        Assert.Equal(1, closed.Link);
        Assert.StartsWith("connection lost", closed.Reason);
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // restarted, but waiting for a grant

        feed.ConnectAfter(2, TimeSpan.Zero);

        Assert.Equal(2, (await owner.ExpectMsgAsync<UpstreamFeed.Connecting>()).Link);
        Assert.Equal(2, (await owner.ExpectMsgAsync<UpstreamFeed.Opened>()).Link);
        Assert.Equal(2, (await StatusAsync(owner, "auth_success")).Link);
        await feed.StopAsync();
    }

    [Fact]
    public async Task A_links_end_is_reported_after_everything_it_carried()
    {
        var (feed, owner) = Start();
        _simulator.Market.Faults.EvictAfterAuth = true; // auth_success, max_connections, then a close 1008

        feed.ConnectAfter(1, TimeSpan.Zero);

        var told = new List<string>();
        while (told.LastOrDefault() is not "closed")
            told.Add(await owner.ReceiveOneAsync(RemainingOrDefault) switch
            {
                UpstreamFeed.StatusReceived s => s.Status.Status,
                UpstreamFeed.Closed c => c.CloseStatus is not null ? "closed" : $"closed without a status: {c.Reason}",
                var m => m.GetType().Name,
            });
        Assert.Equal(["Connecting", "Opened", "connected", "auth_success", "max_connections", "closed"], told);
        await feed.StopAsync();
    }

    [Fact]
    public async Task The_actions_queue_refuses_an_action_once_full_while_no_link_drains_it()
    {
        var (feed, _) = Start(); // nothing granted: no link reads the queue

        var accepted = 0;
        while (accepted <= UpstreamStages.QueuedActions && feed.Send("a")) accepted++;

        Assert.Equal(UpstreamStages.QueuedActions, accepted);
        await feed.StopAsync();
    }

    [Fact]
    public async Task A_newer_grant_replaces_one_still_waiting()
    {
        var (feed, owner) = Start();
        feed.ConnectAfter(1, TimeSpan.FromMinutes(5));
        feed.ConnectAfter(2, TimeSpan.Zero);

        Assert.Equal(2, (await owner.ExpectMsgAsync<UpstreamFeed.Connecting>()).Link);
        await feed.StopAsync();
    }

    [Fact]
    public async Task Actions_go_out_on_the_open_link()
    {
        var (feed, owner) = Start();
        feed.ConnectAfter(1, TimeSpan.Zero);
        await StatusAsync(owner, "auth_success");

        Assert.True(feed.Send(SubscribeBatches.Build("subscribe", ["AAPL"]).Single()));

        var subscribed = await StatusAsync(owner, "success");
        Assert.Contains("AAPL", subscribed.Status.Message);
        await feed.StopAsync();
    }

    [Fact]
    public async Task Stopping_closes_the_open_link_with_a_close_frame_before_it_completes_and_opens_no_other()
    {
        var closedByClient = new TaskCompletionSource<ClosedConnectionReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        _simulator.Market.ConnectionClosed += report => closedByClient.TrySetResult(report);
        var (feed, owner) = Start();
        feed.ConnectAfter(1, TimeSpan.Zero);
        await StatusAsync(owner, "auth_success");
        owner.IgnoreMessages(m => m is not UpstreamFeed.Connecting);

        await feed.StopAsync().WaitAsync(RemainingOrDefault);

        // The kill switch ended the graph; the link closed with a close frame the simulator saw.
        Assert.Equal(ConnectionEnd.ClientClosed, (await closedByClient.Task.WaitAsync(RemainingOrDefault)).End);
        feed.ConnectAfter(2, TimeSpan.Zero);
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }
}
