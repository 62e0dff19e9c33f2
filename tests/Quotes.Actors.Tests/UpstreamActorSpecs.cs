using System.Diagnostics.Metrics;
using System.Reflection;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.TestKit;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Sessions;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The upstream actor on its own, in a one-node cluster, against a real simulator over a real WebSocket: a probe stands in
/// for the shard region and a stand-in hub lives where every node's hub lives (<c>/user/hub</c>).
/// </summary>
public sealed class UpstreamActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("""
    akka.loglevel = INFO
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    # A node that leaves or is downed keeps its actor system (the test kit stops it): what the upstream does then is observable.
    akka.coordinated-shutdown.terminate-actor-system = off
    akka.coordinated-shutdown.run-by-actor-system-terminate = off
    """, output), IAsyncLifetime
{
    private const string Key = "upstream-spec-key";
    private RunningSimulator _simulator = null!;
    private readonly HttpClient _http = new();

    private static readonly string[] Held = Enumerable.Range(0, 40).Select(i => $"U{i:D2}").ToArray();

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        // Leave first: a member that just stops waits out the cluster's exit timeout.
        await CoordinatedShutdown.Get(Sys).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    /// <summary>Answers a new holder's recall with the symbols its clients hold, and passes on everything else it hears.</summary>
    private sealed class StandInHub : ReceiveActor
    {
        public StandInHub(IReadOnlyList<string> symbols, IActorRef observer)
        {
            Receive<UpstreamProtocol.RecallWants>(_ => Sender.Tell(new UpstreamProtocol.HubWants(Self, symbols)));
            ReceiveAny(m => observer.Forward(m));
        }
    }

    private sealed class Region(IActorRef actor) : IRequiredActor<SymbolActor>
    {
        public IActorRef ActorRef => actor;
        public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(actor);
    }

    private (IActorRef Upstream, TestProbe Region, TestProbe Hub) Start(IReadOnlyList<string>? held = null, int maxSymbols = 5_000,
        TimeSpan? staleAfter = null, Func<DateTimeOffset, string>? market = null)
    {
        var hub = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new StandInHub(held ?? Held, hub)), NodeHub.Name);
        var region = CreateTestProbe();
        var polygon = new PolygonOptions
        {
            ApiKey = Key, WebSocketUrl = _simulator.WebSocketUrl.ToString(), RestUrl = _simulator.HttpUrl.ToString(), MaxSymbols = maxSymbols,
        };
        // Renewals a minute apart: whatever is subscribed within the spec came from the recall, not from entity wants.
        var rest = new PolygonRestClient(_http, polygon);
        var settings = new QuotesOptions
        {
            RenewInterval = TimeSpan.FromMinutes(1), LeaseDuration = TimeSpan.FromMinutes(4), StaleAfter = staleAfter ?? new QuotesOptions().StaleAfter,
        };
        var upstream = Sys.ActorOf(Props.Create(() => new UpstreamActor(polygon, settings, new Region(region), new SnapshotBatcher(() => rest), market)));
        return (upstream, region, hub);
    }

    [Fact]
    public async Task A_new_holder_subscribes_every_symbol_the_hubs_hold_at_once()
    {
        var (upstream, _, hub) = Start();

        await AwaitAssertAsync(async () =>
        {
            var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.Equal(Held, report.Subscribed);
        }, Dilated(TimeSpan.FromSeconds(10)));

        var connection = Assert.Single(_simulator.Market.Report().Connections);
        Assert.Equal(Held.Select(s => "A." + s), connection.Channels.Order());
        // The hub that answered is told the upstream's state like any watcher.
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task After_connecting_the_carried_symbols_are_refreshed_with_one_batch_snapshot_request()
    {
        foreach (var symbol in Held) _simulator.Market.Walk(symbol).Next(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var (_, region, _) = Start();

        var refreshed = new HashSet<string>();
        while (refreshed.Count < Held.Length)
            refreshed.Add((await region.FishForMessageAsync<SymbolProtocol.Refresh>(_ => true, Dilated(TimeSpan.FromSeconds(10)))).Symbol);

        Assert.Equal(Held, refreshed.Order());
        Assert.Equal(1, _simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
        Assert.DoesNotContain(_simulator.Market.Report().RestCalls.Keys, path => path.StartsWith("/v2/snapshot/locale/us/markets/stocks/tickers/"));
    }

    [Fact]
    public async Task A_symbol_wanted_after_auth_success_is_refreshed_with_one_batch_snapshot_request()
    {
        var (upstream, region, hub) = Start(held: []);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, _simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
        string[] late = ["LATE1", "LATE2"];
        foreach (var symbol in late) _simulator.Market.Walk(symbol).Next(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // Within the lease that followed auth_success: wanted now, subscribed in one flush, read fresh from one snapshot query.
        upstream.Tell(new UpstreamProtocol.WantBatch(late));

        var refreshed = new HashSet<string>();
        while (refreshed.Count < late.Length)
            refreshed.Add((await region.FishForMessageAsync<SymbolProtocol.Refresh>(_ => true, Dilated(TimeSpan.FromSeconds(10)))).Symbol);
        Assert.Equal(late, refreshed.Order());
        Assert.Equal(1, _simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
        Assert.DoesNotContain(_simulator.Market.Report().RestCalls.Keys, path => path.StartsWith("/v2/snapshot/locale/us/markets/stocks/tickers/"));
        Assert.Equal(late.Select(s => "A." + s), Assert.Single(_simulator.Market.Report().Connections).Channels.Order());
    }

    [Fact]
    public async Task When_the_whole_feed_ends_the_holder_logs_it_and_streams_again_on_a_new_feed()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors, typeof(Akka.Event.Error));
        var (upstream, region, hub) = Start(held: ["END1"]);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        await ExpectAggregatesAsync(region, ["END1"], each: 1);

        // The feed's graph fails past every supervision: its kill switch (the one stage between the restart and the
        // resuming stages) aborts, as a stage failing for good would. No link ended by itself, the graph did, and only
        // UpstreamFeed.Ended tells the holder so.
        FeedOf(upstream).Abort(new InvalidOperationException("a stage failed for good (spec)"));

        var ended = await errors.FishForMessageAsync<Akka.Event.Error>(e => e.Message.ToString()!.Contains("The upstream pipeline ended"),
            Dilated(TimeSpan.FromSeconds(10)));
        Assert.Contains("starting it afresh", ended.Message.ToString());
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "reconnecting", Dilated(TimeSpan.FromSeconds(10)));
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(20)));
        var reconnectedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Streaming again, on the new feed's link: subscribed afresh, and aggregates made after it connected reach the region.
        await region.FishForMessageAsync<SymbolProtocol.Aggregate>(a => a.Symbol == "END1" && a.Bar.End > reconnectedAt, Dilated(TimeSpan.FromSeconds(10)));
        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("connected", report.State);
        Assert.Equal(["END1"], report.Subscribed);
        Assert.Equal(2, report.ConnectionsOpened);
        Assert.Equal(2, _simulator.Market.Report().ConnectionsOpened);
        // The failed graph's link was closed when the graph ended: one connection, the new one.
        await AwaitAssertAsync(() => Assert.Equal(["A.END1"], Assert.Single(_simulator.Market.Report().Connections).Channels),
            Dilated(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task When_the_feeds_stream_actors_are_stopped_from_outside_the_holder_learns_it_and_streams_again()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors, typeof(Akka.Event.Error));
        var (upstream, region, hub) = Start(held: ["END2"]);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        await ExpectAggregatesAsync(region, ["END2"], each: 1);

        // Not a stage failing: the actors that run the feed's stages are stopped, and no stage completes or fails by itself.
        Sys.ActorSelection("/user/StreamSupervisor-*/*").Tell(PoisonPill.Instance);

        var ended = await errors.FishForMessageAsync<Akka.Event.Error>(e => e.Message.ToString()!.Contains("The upstream pipeline ended"),
            Dilated(TimeSpan.FromSeconds(10)));
        Assert.Contains("AbruptStageTerminationException", ended.Message.ToString());
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(20)));
        var reconnectedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await region.FishForMessageAsync<SymbolProtocol.Aggregate>(a => a.Symbol == "END2" && a.Bar.End > reconnectedAt, Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, (await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)))).ConnectionsOpened);
    }

    /// <summary>The kill switch of the upstream's current feed (private to it: reached by reflection, for this spec alone).</summary>
    private static UniqueKillSwitch FeedOf(IActorRef upstream)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var actor = typeof(ActorCell).GetProperty("Actor", Private | BindingFlags.Public)!.GetValue(((ActorRefWithCell)upstream).Underlying);
        var feed = (UpstreamFeed)typeof(UpstreamActor).GetField("_feed", Private)!.GetValue(actor)!;
        return (UniqueKillSwitch)typeof(UpstreamFeed).GetField("_killSwitch", Private)!.GetValue(feed)!;
    }

    /// <summary>The meter of this actor system's <see cref="QuotesMetrics"/> alone, whatever other specs count meanwhile.</summary>
    private sealed class SpecMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        public void Dispose() { }
    }

    private sealed class SpecMetrics(QuotesMetrics metrics) : ExtensionIdProvider<QuotesMetricsExtension>
    {
        public override QuotesMetricsExtension CreateExtension(ExtendedActorSystem system) => new(metrics);
    }

    [Fact]
    public async Task Aggregates_conflated_while_the_inboxes_are_slow_to_acknowledge_reach_the_report_and_the_metric()
    {
        using var meters = new SpecMeters();
        using var metrics = new QuotesMetrics(meters, new SocketCounters());
        Sys.RegisterExtension(new SpecMetrics(metrics));
        Assert.Same(metrics, QuotesMetrics.For(Sys));
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "quotes.upstream.conflated") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();
        // This node's inbox takes every batch and never acknowledges: each hand-over waits out the ask timeout (2 s, two at a
        // time), so the apply stage takes one batch a second while the simulator sends two frames a second (one aggregate a
        // second for each of 600 symbols, at most 500 to a frame): the pipeline falls behind and conflates.
        var inbox = CreateTestProbe();
        ActorRegistry.For(Sys).Register<SymbolInbox>(inbox.Ref);
        var held = Enumerable.Range(0, 600).Select(i => $"CF{i:D3}").ToArray();
        var (upstream, _, _) = Start(held: held);
        await inbox.FishForMessageAsync<SymbolProtocol.AggregateBatch>(b => b.Bars.Count > 0, Dilated(TimeSpan.FromSeconds(10)));

        UpstreamProtocol.Report report = null!;
        await AwaitAssertAsync(async () =>
        {
            report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.True(report.Conflated > 0, "nothing conflated yet");
        }, Dilated(TimeSpan.FromSeconds(20)));

        // The metric is counted before the holder is told, from the same batches: never less than the report says.
        Assert.True(Interlocked.Read(ref counted) >= report.Conflated, $"metric {Interlocked.Read(ref counted)} < report {report.Conflated}");
        Assert.Equal("connected", report.State);
        Assert.Equal(0, report.Malformed);
    }

    private async Task<UpstreamProtocol.Report> ConnectedAsync(IActorRef upstream)
    {
        UpstreamProtocol.Report report = null!;
        await AwaitAssertAsync(async () =>
        {
            report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.Equal(Held, report.Subscribed);
        }, Dilated(TimeSpan.FromSeconds(10)));
        return report;
    }

    [Fact]
    public async Task On_hand_over_the_holder_closes_its_connection_before_it_stops()
    {
        var (upstream, _, _) = Start();
        await ConnectedAsync(upstream);
        Assert.Single(_simulator.Market.Report().Connections);
        Watch(upstream);

        upstream.Tell(UpstreamProtocol.HandOver.Instance);

        await ExpectTerminatedAsync(upstream, Dilated(TimeSpan.FromSeconds(5)));
        // The singleton manager hands over on this Terminated: by then Polygon has already let the connection go.
        Assert.Empty(_simulator.Market.Report().Connections);
    }

    [Fact]
    public async Task A_downed_node_cuts_its_upstream_at_once_and_sends_nothing_more()
    {
        var (upstream, _, hub) = Start();
        await ConnectedAsync(upstream);
        var actions = _simulator.Market.Report().Actions.Count;

        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Down(cluster.SelfAddress);

        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "down", Dilated(TimeSpan.FromSeconds(10)));
        await AwaitAssertAsync(() => Assert.Empty(_simulator.Market.Report().Connections), Dilated(TimeSpan.FromSeconds(3)));
        upstream.Tell(new UpstreamProtocol.Want("NEW1"));
        upstream.Tell(new UpstreamProtocol.HubWants(hub, ["NEW2"]));
        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("down", report.State);
        Assert.Equal(actions, _simulator.Market.Report().Actions.Count);
        Assert.Equal(1, _simulator.Market.Report().ConnectionsOpened);
    }

    [Fact]
    public async Task A_node_removed_from_its_cluster_cuts_its_upstream_for_good()
    {
        var (upstream, _, hub) = Start();
        await ConnectedAsync(upstream);
        var actions = _simulator.Market.Report().Actions.Count;

        // A leave, not a downing: the node hears of its own removal alone (no MemberDowned), as its cluster stops.
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Leave(cluster.SelfAddress);

        var down = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "down", Dilated(TimeSpan.FromSeconds(15)));
        Assert.Equal("this node was removed from the cluster", down.Reason);
        await AwaitAssertAsync(() => Assert.Empty(_simulator.Market.Report().Connections), Dilated(TimeSpan.FromSeconds(3)));
        upstream.Tell(new UpstreamProtocol.Want("NEW1"));
        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("down", report.State);
        Assert.Equal(actions, _simulator.Market.Report().Actions.Count);
        Assert.Equal(1, _simulator.Market.Report().ConnectionsOpened);
    }

    [Fact]
    public async Task Wants_past_Polygon_MaxSymbols_are_not_subscribed_upstream_whatever_their_path()
    {
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings, typeof(Akka.Event.Warning));
        var (upstream, _, hub) = Start(held: [], maxSymbols: 3);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));

        // Five different symbols: two as entity wants, three as a hub's seeded interest.
        upstream.Tell(new UpstreamProtocol.Want("CAP1"));
        upstream.Tell(new UpstreamProtocol.Want("CAP2"));
        upstream.Tell(new UpstreamProtocol.HubWants(hub.Ref, ["CAP3", "CAP4", "CAP5"]));

        UpstreamProtocol.Report report = null!;
        await AwaitAssertAsync(async () =>
        {
            report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.Equal(3, report.Subscribed.Count);
        }, Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(["CAP1", "CAP2", "CAP3"], report.Subscribed);
        Assert.Equal(["CAP1", "CAP2", "CAP3"], report.Wanted);
        Assert.Equal(3, report.MaxSymbols);
        Assert.Equal(2, report.OverCap);
        var connection = Assert.Single(_simulator.Market.Report().Connections);
        Assert.Equal(["A.CAP1", "A.CAP2", "A.CAP3"], connection.Channels.Order());

        var refused = await warnings.FishForMessageAsync<Akka.Event.Warning>(w => w.Message.ToString()!.Contains("Polygon:MaxSymbols"));
        Assert.Contains("CAP4 CAP5", refused.Message.ToString());
        // Renewed over-cap wants are logged once a minute at most: the next warning is about the new symbol alone.
        upstream.Tell(new UpstreamProtocol.Want("CAP4"));
        upstream.Tell(new UpstreamProtocol.Want("CAP6"));
        var next = await warnings.FishForMessageAsync<Akka.Event.Warning>(w => w.Message.ToString()!.Contains("Polygon:MaxSymbols"));
        Assert.Contains("Not subscribing 1 symbol(s)", next.Message.ToString());
        Assert.EndsWith("CAP6", next.Message.ToString());
        Assert.Equal(3, (await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)))).Subscribed.Count);
    }
    /// <summary>
    /// The measured failure: after <c>auth_success</c> one aggregate whose symbol is a lone surrogate, then normal aggregates.
    /// It used to stop the feed for good without a word; now it costs that event only.
    /// </summary>
    [Fact]
    public async Task An_aggregate_with_a_lone_surrogate_costs_that_event_only_and_quotes_keep_flowing()
    {
        _simulator.Market.Faults.PoisonAfterAuth = [PoisonedFrame.LoneSurrogate];
        var (upstream, region, _) = Start(held: ["PSN1", "PSN2"]);

        await ExpectAggregatesAsync(region, ["PSN1", "PSN2"], each: 2);

        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("connected", report.State);
        Assert.Equal(1, report.Malformed);
        Assert.Equal(1, report.ConnectionsOpened);
        Assert.Equal(1, _simulator.Market.Report().ConnectionsOpened);
    }

    [Fact]
    public async Task No_kind_of_poisoned_frame_stops_the_feed_or_costs_the_connection()
    {
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings, typeof(Akka.Event.Warning));
        _simulator.Market.Faults.PoisonAfterAuth = PoisonedFrame.All;
        var (upstream, region, _) = Start(held: ["PSN3"]);

        await ExpectAggregatesAsync(region, ["PSN3"], each: 2);

        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("connected", report.State);
        // Every poisoned frame counted at least once (a frame of several bad events counts each); the unknown ev is skipped silently.
        Assert.True(report.Malformed >= PoisonedFrame.All.Count - 1, $"only {report.Malformed} malformed counted");
        Assert.Equal(1, _simulator.Market.Report().ConnectionsOpened);
        await warnings.FishForMessageAsync<Akka.Event.Warning>(w => w.Message.ToString()!.Contains("malformed"), Dilated(TimeSpan.FromSeconds(15)));
    }

    /// <summary>Waits until the region was handed <paramref name="each"/> aggregates of every symbol.</summary>
    private async Task ExpectAggregatesAsync(TestProbe region, IReadOnlyList<string> symbols, int each)
    {
        var seen = symbols.ToDictionary(s => s, _ => 0);
        while (seen.Values.Any(n => n < each))
        {
            var aggregate = await region.FishForMessageAsync<SymbolProtocol.Aggregate>(a => seen.ContainsKey(a.Symbol), Dilated(TimeSpan.FromSeconds(10)));
            seen[aggregate.Symbol]++;
        }
    }
    [Fact]
    public async Task A_feed_silent_past_StaleAfter_while_the_market_is_open_is_reported_stale_and_replaced()
    {
        var (upstream, _, hub) = Start(held: ["STL1"], staleAfter: TimeSpan.FromSeconds(2), market: _ => MarketStates.Open);
        await SubscribedAsync(upstream, ["STL1"]);

        _simulator.Market.Faults.Stalled = true; // open, answering nothing: no aggregate, and no pong either (but pings are 20 s away)
        var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(10)));
        Assert.StartsWith("stale: no aggregate", stale.Reason);
        _simulator.Market.Faults.Stalled = false;

        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(20)));
        Assert.True(_simulator.Market.Report().ConnectionsOpened >= 2);
    }

    [Fact]
    public async Task Connections_replaced_as_stale_in_a_row_each_get_twice_the_silence_and_an_aggregate_starts_over()
    {
        var (upstream, region, hub) = Start(held: ["STL4"], staleAfter: TimeSpan.FromSeconds(1), market: _ => MarketStates.Open);
        await SubscribedAsync(upstream, ["STL4"]);

        // A halt: every connection authenticates and subscribes, and none carries an aggregate. Replacing it cannot help,
        // so each replacement in a row waits twice as long: 1 s, 2 s, 4 s of silence.
        _simulator.Market.Faults.Halted = true;
        var silences = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(20)));
            silences.Add(int.Parse(System.Text.RegularExpressions.Regex.Match(stale.Reason, @"no aggregate for (\d+) s").Groups[1].Value));
        }
        Assert.True(silences[0] >= 1 && silences[1] >= 2 && silences[2] >= 4, $"silences before each replacement: {string.Join(", ", silences)} s");

        // Trading again: after an aggregate the next silence is StaleAfter again.
        _simulator.Market.Faults.Halted = false;
        var resumed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await region.FishForMessageAsync<SymbolProtocol.Aggregate>(a => a.Symbol == "STL4" && a.Bar.End > resumed, Dilated(TimeSpan.FromSeconds(20)));
        _simulator.Market.Faults.Halted = true;
        var again = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(20)));
        Assert.Matches(@"no aggregate for [12] s", again.Reason);
        _simulator.Market.Faults.Halted = false;
    }

    [Fact]
    public async Task The_first_symbol_after_a_spell_with_nothing_subscribed_gets_StaleAfter_before_the_feed_is_stale()
    {
        // Found from outside: the first subscribe after a quiet spell reported the feed stale at once, replaced it and
        // logged a warning, the time with nothing subscribed counted as silence.
        var (upstream, _, hub) = Start(held: [], staleAfter: TimeSpan.FromSeconds(2), market: _ => MarketStates.Open);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        _simulator.Market.Faults.Halted = true; // nothing will trade: the feed is stale StaleAfter after the subscribe, not sooner
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromSeconds(3))); // nothing subscribed for longer than StaleAfter

        var wantedAt = DateTime.UtcNow;
        upstream.Tell(new UpstreamProtocol.WantBatch(["STL5"]));

        var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(10)));
        var after = DateTime.UtcNow - wantedAt;
        _simulator.Market.Faults.Halted = false;
        Assert.StartsWith("stale: no aggregate", stale.Reason);
        Assert.True(after >= TimeSpan.FromSeconds(2), $"stale {after.TotalSeconds:F1} s after the subscribe: the time with nothing subscribed counted");
    }

    [Fact]
    public async Task A_feed_silent_since_before_the_open_gets_StaleAfter_from_the_open_before_it_is_stale()
    {
        var market = MarketStates.ExtendedHours;
        var (upstream, _, hub) = Start(held: ["STL3"], staleAfter: TimeSpan.FromSeconds(2), market: _ => Volatile.Read(ref market));
        await SubscribedAsync(upstream, ["STL3"]);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        _simulator.Market.Faults.Stalled = true;
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromSeconds(3))); // silent for longer than StaleAfter before the open

        var openedAt = DateTime.UtcNow;
        Volatile.Write(ref market, MarketStates.Open);
        // Counted from the open (seen by a sweep at most a second later), the feed is stale 2 to 3 s after it, not at once.
        var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(10)));
        var after = DateTime.UtcNow - openedAt;
        _simulator.Market.Faults.Stalled = false;
        Assert.StartsWith("stale: no aggregate", stale.Reason);
        Assert.True(after >= TimeSpan.FromSeconds(2), $"stale {after.TotalSeconds:F1} s after the open: the silence before it counted");
    }

    [Fact]
    public async Task Outside_market_hours_a_silent_feed_is_normal_and_nothing_happens()
    {
        var (upstream, _, hub) = Start(held: ["STL2"], staleAfter: TimeSpan.FromSeconds(1), market: _ => MarketStates.Closed);
        await SubscribedAsync(upstream, ["STL2"]);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));

        _simulator.Market.Faults.Stalled = true;
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromSeconds(3)));
        _simulator.Market.Faults.Stalled = false;

        Assert.Equal("connected", (await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)))).State);
        Assert.Equal(1, _simulator.Market.Report().ConnectionsOpened);
    }

    private async Task SubscribedAsync(IActorRef upstream, IReadOnlyList<string> symbols) =>
        await AwaitAssertAsync(async () =>
        {
            var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.Equal(symbols, report.Subscribed);
        }, Dilated(TimeSpan.FromSeconds(10)));
}
