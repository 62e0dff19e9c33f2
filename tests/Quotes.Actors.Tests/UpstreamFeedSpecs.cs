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
    // Beating, as in production: an unrenewed permit lasts 1.5 s, less than a spec over three links may take.
    private readonly UpstreamFence _fence = new UpstreamFence().StartWatch();

    public async Task InitializeAsync() => _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });

    public async Task DisposeAsync()
    {
        _fence.Dispose();
        await _simulator.DisposeAsync();
    }

    private (UpstreamFeed Feed, TestProbe Owner) Start()
    {
        var owner = CreateTestProbe();
        var uri = new PolygonOptions { WebSocketUrl = _simulator.WebSocketUrl.ToString() }.StocksSocketUri();
        var feed = new UpstreamFeed(uri, Key, owner, new AggregateRouting(Sys, CreateTestProbe().Ref), new QuotesOptions(), _fence,
            QuotesMetrics.For(Sys), new FrameFaults((_, _, _) => { }), Sys.Materializer());
        return (feed, owner);
    }

    private static string Subscribe(string symbol) => SubscribeBatches.Build("subscribe", [symbol]).Single();

    private static async Task<UpstreamFeed.Closed> ClosedAsync(TestProbe owner) =>
        (UpstreamFeed.Closed)await owner.FishForMessageAsync(m => m is UpstreamFeed.Closed);

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
        var (feed, _) = Start(); // nothing granted: no link opens to send what it holds

        var accepted = 0;
        while (accepted <= UpstreamStages.QueuedActions + 1 && feed.Send(1, "a")) accepted++;

        // The queue's capacity, and at most one more already taken out, waiting for its link to open.
        Assert.InRange(accepted, UpstreamStages.QueuedActions, UpstreamStages.QueuedActions + 1);
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

        Assert.True(feed.Send(1, Subscribe("AAPL")));

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

    [Fact]
    public async Task An_action_made_for_a_link_that_closed_before_sending_it_is_never_sent_on_the_next()
    {
        var (feed, owner) = Start();
        feed.ConnectAfter(1, TimeSpan.Zero);
        await StatusAsync(owner, "auth_success");
        _simulator.Market.DropAll();
        Assert.Equal(1, (await ClosedAsync(owner)).Link);

        Assert.True(feed.Send(1, Subscribe("STALE"))); // made for link 1, which is gone: the next link may already hold it
        feed.ConnectAfter(2, TimeSpan.Zero);
        Assert.Equal(2, (await StatusAsync(owner, "auth_success")).Link);
        Assert.True(feed.Send(2, Subscribe("FRESH")));

        Assert.Contains("A.FRESH", (await StatusAsync(owner, "success")).Status.Message);
        // Link 2 sent its auth, then only what was made for it (in order on one socket: STALE would have come before FRESH).
        Assert.Equal(["auth", "auth", "subscribe A.FRESH"], _simulator.Market.Report().Actions);
        await feed.StopAsync();
    }

    [Fact]
    public async Task An_action_queued_while_no_link_is_open_goes_out_only_on_the_next_link_after_its_grant_and_auth()
    {
        var (feed, owner) = Start();
        feed.ConnectAfter(1, TimeSpan.Zero);
        await StatusAsync(owner, "auth_success");
        feed.Drop(1);
        Assert.Equal(1, (await ClosedAsync(owner)).Link);

        // Made for link 2: it waits for link 2 to open, while link 1's sending side ends with its socket.
        Assert.True(feed.Send(2, Subscribe("NEXT")));
        await owner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // not granted: nothing opens, nothing is sent
        Assert.Equal(["auth"], _simulator.Market.Report().Actions);
        feed.ConnectAfter(2, TimeSpan.Zero);

        var subscribed = await StatusAsync(owner, "success");
        Assert.Equal(2, subscribed.Link);
        Assert.Contains("A.NEXT", subscribed.Status.Message);
        Assert.Equal(["auth", "auth", "subscribe A.NEXT"], _simulator.Market.Report().Actions);
        await feed.StopAsync();
    }

    [Fact]
    public async Task Auth_is_the_first_frame_on_every_link()
    {
        var (feed, owner) = Start();
        var statuses = new List<string>();
        for (var link = 1; link <= 3; link++)
        {
            // Queued before the link is even granted: it waits for the link to open (auth sent), then goes out on it.
            Assert.True(feed.Send(link, Subscribe($"L{link}")));
            feed.ConnectAfter(link, TimeSpan.Zero);
            var current = link;
            await owner.FishForMessageAsync(m =>
            {
                if (m is not UpstreamFeed.StatusReceived s || s.Link != current) return false;
                statuses.Add(s.Status.Status);
                return s.Status.Status == "success";
            });
            _simulator.Market.DropAll();
            Assert.Equal(link, (await ClosedAsync(owner)).Link);
            statuses.Add("closed");
        }

        // No auth_required anywhere: no link sent anything before its auth.
        Assert.Equal(Enumerable.Repeat<string[]>(["connected", "auth_success", "success", "closed"], 3).SelectMany(s => s), statuses);
        Assert.Equal(["auth", "subscribe A.L1", "auth", "subscribe A.L2", "auth", "subscribe A.L3"], _simulator.Market.Report().Actions);
        await feed.StopAsync();
    }
}
