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

/// <summary>The upstream actor's connection, subscriptions, hand-over and frames (<see cref="UpstreamSpecKit"/>).</summary>
public sealed class UpstreamActorSpecs(ITestOutputHelper output) : UpstreamSpecKit(output)
{
    [Fact]
    public async Task A_new_holder_subscribes_every_symbol_the_hubs_hold_at_once()
    {
        var (upstream, _, hub) = Start();

        await AwaitAssertAsync(async () =>
        {
            var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.Equal(Held, report.Subscribed);
        }, Dilated(TimeSpan.FromSeconds(10)));

        var connection = Assert.Single(Simulator.Market.Report().Connections);
        Assert.Equal(Held.Select(s => "A." + s), connection.Channels.Order());
        // The hub that answered is told the upstream's state like any watcher.
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task After_connecting_the_carried_symbols_are_refreshed_with_one_batch_snapshot_request()
    {
        foreach (var symbol in Held) Simulator.Market.Walk(symbol).Next(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var (_, region, _) = Start();

        var refreshed = new HashSet<string>();
        while (refreshed.Count < Held.Length)
            refreshed.Add((await region.FishForMessageAsync<SymbolProtocol.Refresh>(_ => true, Dilated(TimeSpan.FromSeconds(10)))).Symbol);

        Assert.Equal(Held, refreshed.Order());
        Assert.Equal(1, Simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
        Assert.DoesNotContain(Simulator.Market.Report().RestCalls.Keys, path => path.StartsWith("/v2/snapshot/locale/us/markets/stocks/tickers/"));
    }

    [Fact]
    public async Task A_symbol_wanted_after_auth_success_is_refreshed_with_one_batch_snapshot_request()
    {
        var (upstream, region, hub) = Start(held: []);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, Simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
        string[] late = ["LATE1", "LATE2"];
        foreach (var symbol in late) Simulator.Market.Walk(symbol).Next(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // Within the lease that followed auth_success: wanted now, subscribed in one flush, read fresh from one snapshot query.
        upstream.Tell(new UpstreamProtocol.WantBatch(late));

        var refreshed = new HashSet<string>();
        while (refreshed.Count < late.Length)
            refreshed.Add((await region.FishForMessageAsync<SymbolProtocol.Refresh>(_ => true, Dilated(TimeSpan.FromSeconds(10)))).Symbol);
        Assert.Equal(late, refreshed.Order());
        Assert.Equal(1, Simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
        Assert.DoesNotContain(Simulator.Market.Report().RestCalls.Keys, path => path.StartsWith("/v2/snapshot/locale/us/markets/stocks/tickers/"));
        Assert.Equal(late.Select(s => "A." + s), Assert.Single(Simulator.Market.Report().Connections).Channels.Order());
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
        Assert.Equal(2, Simulator.Market.Report().ConnectionsOpened);
        // The failed graph's link was closed when the graph ended: one connection, the new one.
        await AwaitAssertAsync(() => Assert.Equal(["A.END1"], Assert.Single(Simulator.Market.Report().Connections).Channels),
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
        Assert.Single(Simulator.Market.Report().Connections);
        Watch(upstream);

        upstream.Tell(UpstreamProtocol.HandOver.Instance);

        await ExpectTerminatedAsync(upstream, Dilated(TimeSpan.FromSeconds(5)));
        // The singleton manager hands over on this Terminated: by then Polygon has already let the connection go.
        Assert.Empty(Simulator.Market.Report().Connections);
    }

    [Fact]
    public async Task A_downed_node_cuts_its_upstream_at_once_and_sends_nothing_more()
    {
        var (upstream, _, hub) = Start();
        await ConnectedAsync(upstream);
        var actions = Simulator.Market.Report().Actions.Count;

        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Down(cluster.SelfAddress);

        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "down", Dilated(TimeSpan.FromSeconds(10)));
        await AwaitAssertAsync(() => Assert.Empty(Simulator.Market.Report().Connections), Dilated(TimeSpan.FromSeconds(3)));
        upstream.Tell(new UpstreamProtocol.Want("NEW1"));
        upstream.Tell(new UpstreamProtocol.HubWants(hub, ["NEW2"]));
        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("down", report.State);
        Assert.Equal(actions, Simulator.Market.Report().Actions.Count);
        Assert.Equal(1, Simulator.Market.Report().ConnectionsOpened);
    }

    [Fact]
    public async Task A_node_removed_from_its_cluster_cuts_its_upstream_for_good()
    {
        var (upstream, _, hub) = Start();
        await ConnectedAsync(upstream);
        var actions = Simulator.Market.Report().Actions.Count;

        // A leave, not a downing: the node hears of its own removal alone (no MemberDowned), as its cluster stops.
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Leave(cluster.SelfAddress);

        var down = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "down", Dilated(TimeSpan.FromSeconds(15)));
        Assert.Equal("this node was removed from the cluster", down.Reason);
        await AwaitAssertAsync(() => Assert.Empty(Simulator.Market.Report().Connections), Dilated(TimeSpan.FromSeconds(3)));
        upstream.Tell(new UpstreamProtocol.Want("NEW1"));
        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("down", report.State);
        Assert.Equal(actions, Simulator.Market.Report().Actions.Count);
        Assert.Equal(1, Simulator.Market.Report().ConnectionsOpened);
    }

    [Fact]
    public async Task A_wall_clock_stepped_back_does_not_keep_an_unrenewed_want_subscribed()
    {
        // Wants timed by the wall clock would hold for the hour the clock went back: the symbol streaming upstream, and
        // counted against Polygon:MaxSymbols, long after every client left.
        var time = new SteppedWallClock();
        // (The stand-in hub's status watch lapses with the same short lease: the spec waits on the subscription instead.)
        var (upstream, _, _) = Start(held: [], lease: TimeSpan.FromSeconds(1), clock: new LocalClock(time));
        upstream.Tell(new UpstreamProtocol.Want("STEP"));
        await SubscribedAsync(upstream, ["STEP"]);

        time.Step(TimeSpan.FromHours(-1));

        // Not renewed: a second of lease and a second of linger later it is let go, as if the clock had not moved.
        await SubscribedAsync(upstream, []);
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
        var connection = Assert.Single(Simulator.Market.Report().Connections);
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
        Simulator.Market.Faults.PoisonAfterAuth = [PoisonedFrame.LoneSurrogate];
        var (upstream, region, _) = Start(held: ["PSN1", "PSN2"]);

        await ExpectAggregatesAsync(region, ["PSN1", "PSN2"], each: 2);

        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("connected", report.State);
        Assert.Equal(1, report.Malformed);
        Assert.Equal(1, report.ConnectionsOpened);
        Assert.Equal(1, Simulator.Market.Report().ConnectionsOpened);
    }

    [Fact]
    public async Task No_kind_of_poisoned_frame_stops_the_feed_or_costs_the_connection()
    {
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings, typeof(Akka.Event.Warning));
        Simulator.Market.Faults.PoisonAfterAuth = PoisonedFrame.All;
        var (upstream, region, _) = Start(held: ["PSN3"]);

        await ExpectAggregatesAsync(region, ["PSN3"], each: 2);

        var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("connected", report.State);
        // Every poisoned frame counted at least once (a frame of several bad events counts each); the unknown ev is skipped silently.
        Assert.True(report.Malformed >= PoisonedFrame.All.Count - 1, $"only {report.Malformed} malformed counted");
        Assert.Equal(1, Simulator.Market.Report().ConnectionsOpened);
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
}
