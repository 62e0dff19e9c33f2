using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Quotes.Actors.Cluster;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The node hub on its own: probes stand in for the shard region, the upstream proxy and the symbol entity (one probe per
/// incarnation); sessions are probes with real outboxes, read the way the socket writer reads them.
/// </summary>
public sealed class NodeHubSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    /// <summary>Renewals far apart, so that anything the region receives within a spec was caused by the spec's step.</summary>
    private static readonly QuotesOptions Slow = new() { RenewInterval = TimeSpan.FromMinutes(1), LeaseDuration = TimeSpan.FromMinutes(4) };

    private (IActorRef Hub, TestProbe Region) StartHub(QuotesOptions? settings = null)
    {
        var region = CreateTestProbe();
        var upstream = CreateTestProbe();
        var hub = Sys.ActorOf(Props.Create(() => new NodeHub(region, upstream, settings ?? Slow)));
        return (hub, region);
    }

    /// <summary>A session's outbox read the way the socket writer reads it: wait for the wake-up, drain a frame.</summary>
    private sealed class Reader(SessionOutbox outbox)
    {
        private readonly Queue<JsonElement> _drained = new();
        public SessionOutbox Outbox { get; } = outbox;

        /// <summary>Reads on until a message matches; earlier messages are passed over, later ones kept for the next read.</summary>
        public async Task<JsonElement> ReadAsync(Func<JsonElement, bool> match, TimeSpan within)
        {
            using var cts = new CancellationTokenSource(within);
            while (true)
            {
                while (_drained.TryDequeue(out var message))
                    if (match(message)) return message;
                foreach (var message in SessionOutboxSpecs.Drain(Outbox)) _drained.Enqueue(message);
                if (_drained.Count == 0) await Outbox.WaitAsync(cts.Token);
            }
        }
    }

    private async Task<Reader> SubscribeAsync(IActorRef hub, params string[] symbols)
    {
        var session = CreateTestProbe();
        var reader = new Reader(new SessionOutbox());
        hub.Tell(new HubProtocol.Register(session, reader.Outbox));
        hub.Tell(new HubProtocol.Subscribe(session, symbols));
        await ReadAsync(reader, m => m.GetProperty("type").GetString() == "status");
        return reader;
    }

    private Task<JsonElement> ReadAsync(Reader reader, Func<JsonElement, bool> match) => reader.ReadAsync(match, Dilated(TimeSpan.FromSeconds(5)));

    /// <summary>A hub with one session subscribed to AAPL, whose entity (a probe) has answered that it has no price yet.</summary>
    private async Task<(IActorRef Hub, Reader Waiting, TestProbe Entity)> SubscribedBeforeAnyPriceAsync()
    {
        var (hub, region) = StartHub();
        var waiting = await SubscribeAsync(hub, "AAPL");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var entity = CreateTestProbe();
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", null), entity);
        return (hub, waiting, entity);
    }

    /// <summary>A session registered and subscribed to AAPL, once the hub has asked the region for its interest.</summary>
    private async Task<(TestProbe Session, Reader Reader)> SessionOnAaplAsync(IActorRef hub, TestProbe region)
    {
        var session = CreateTestProbe();
        var reader = new Reader(new SessionOutbox());
        hub.Tell(new HubProtocol.Register(session, reader.Outbox));
        hub.Tell(new HubProtocol.Subscribe(session, ["AAPL"]));
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        return (session, reader);
    }

    private static bool IsQuote(JsonElement m, long seq) => m.GetProperty("type").GetString() == "quote" && m.GetProperty("seq").GetInt64() == seq;

    private static Quote At(long seq, decimal price = 100m, string symbol = "AAPL") => new()
    {
        Symbol = symbol, Price = price, High = 120m, Low = 90m, Volume = 5_000_000 + seq, Timestamp = 1_000 * seq, Seq = seq,
    };

    [Fact]
    public async Task Each_update_reaches_every_local_session_while_the_hub_holds_one_interest()
    {
        var (hub, region) = StartHub();
        var first = await SubscribeAsync(hub, "AAPL");
        var second = await SubscribeAsync(hub, "AAPL");

        var interest = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(("AAPL", true, null), (interest.Symbol, interest.WantSnapshot, interest.Seed));
        await region.ExpectNoMsgAsync(Dilated(TimeSpan.FromMilliseconds(200))); // the second session adds no interest

        var entity = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(7)), entity);

        foreach (var outbox in new[] { first, second }) Assert.Equal(100m, (await ReadAsync(outbox, m => IsQuote(m, 7))).GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task A_new_subscriber_gets_the_newest_quote_the_node_delivered_never_an_older_one()
    {
        var (hub, region) = StartHub();
        var streaming = await SubscribeAsync(hub, "AAPL");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var entity = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(10)), entity);
        await ReadAsync(streaming, m => IsQuote(m, 10));

        // A stale snapshot (an earlier incarnation's, late) must not become what new subscribers see.
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(5) with { Snapshot = true }), entity);
        var late = await SubscribeAsync(hub, "AAPL");
        var snapshot = await ReadAsync(late, m => m.GetProperty("type").GetString() == "quote");

        Assert.Equal(10, snapshot.GetProperty("seq").GetInt64());
        Assert.True(snapshot.GetProperty("snapshot").GetBoolean());
        await region.ExpectNoMsgAsync(Dilated(TimeSpan.FromMilliseconds(200))); // served from the hub's cache
    }

    [Fact]
    public async Task Subscribing_again_to_a_held_symbol_sends_a_fresh_snapshot_even_when_nothing_changed_since_the_last()
    {
        // Found from outside: `subscribed` came back with no snapshot whenever the client's last quote of the symbol was
        // its snapshot (the outbox does not send the same bytes twice in a row, and the hub offered the cached ones).
        var (hub, region) = StartHub();
        var (session, reader) = await SessionOnAaplAsync(hub, region);
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(3) with { Snapshot = true }), CreateTestProbe());
        Assert.True((await ReadAsync(reader, m => IsQuote(m, 3))).GetProperty("snapshot").GetBoolean());

        hub.Tell(new HubProtocol.Subscribe(session, ["AAPL"]));

        Assert.True((await ReadAsync(reader, m => IsQuote(m, 3))).GetProperty("snapshot").GetBoolean());
    }

    [Fact]
    public async Task A_session_that_subscribed_before_the_symbol_had_a_price_gets_its_first_quote_as_its_snapshot()
    {
        var (hub, waiting, entity) = await SubscribedBeforeAnyPriceAsync(); // the entity has no price yet (nothing traded)

        hub.Tell(new SymbolProtocol.QuoteUpdated(At(1)), entity); // e.g. the provider's snapshot of the day came in
        var first = await ReadAsync(waiting, m => IsQuote(m, 1));
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(2)), entity);
        var next = await ReadAsync(waiting, m => IsQuote(m, 2));

        Assert.True(first.GetProperty("snapshot").GetBoolean());
        Assert.False(next.TryGetProperty("snapshot", out _));
    }

    [Fact]
    public async Task A_first_quote_replaced_by_a_newer_one_before_it_was_sent_still_arrives_as_the_snapshot()
    {
        var (hub, waiting, entity) = await SubscribedBeforeAnyPriceAsync();

        // Two provider days in quick succession (the upstream's refill and the entity's own read): the second replaces the
        // first in the outbox before the writer sends anything.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(1)), entity);
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(2, price: 101m)), entity);
        await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(5))); // both offered
        Assert.True(waiting.Outbox.OwesSnapshot(waiting.Outbox.SlotFor("AAPL")));

        var first = await ReadAsync(waiting, m => m.GetProperty("type").GetString() == "quote");
        Assert.Equal((2, 101m), (first.GetProperty("seq").GetInt64(), first.GetProperty("price").GetDecimal()));
        Assert.True(first.TryGetProperty("snapshot", out var flag) && flag.GetBoolean(), $"the client's first quote is not marked a snapshot: {first}");
        Assert.False(waiting.Outbox.OwesSnapshot(waiting.Outbox.SlotFor("AAPL")));

        hub.Tell(new SymbolProtocol.QuoteUpdated(At(3)), entity);
        Assert.False((await ReadAsync(waiting, m => IsQuote(m, 3))).TryGetProperty("snapshot", out _));
    }

    [Fact]
    public async Task A_quote_sent_as_a_snapshot_is_left_out_of_the_delivery_latency_however_old_its_event()
    {
        var (hub, waiting, entity) = await SubscribedBeforeAnyPriceAsync();

        // The first quote goes as the snapshot. Its event can be far in the past (a symbol let go hours ago comes back with
        // the quote the node remembered; At's are from 1970): the socket writer must not measure it as a delivery.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(1)), entity);
        Assert.True((await ReadAsync(waiting, m => IsQuote(m, 1))).GetProperty("snapshot").GetBoolean());
        Assert.Equal(0, waiting.Outbox.OldestEventMs);

        // The next one is live, and measured from its event.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(2)), entity);
        await ReadAsync(waiting, m => IsQuote(m, 2));
        Assert.Equal(2_000, waiting.Outbox.OldestEventMs);
    }

    [Fact]
    public async Task An_update_no_new_upstream_event_caused_is_left_out_of_the_delivery_latency()
    {
        var (hub, waiting, entity) = await SubscribedBeforeAnyPriceAsync();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(1)), entity);
        await ReadAsync(waiting, m => IsQuote(m, 1));

        // The provider's day taken after a reconnect (or an adopted seed) is an update with an old event's timestamp: it goes
        // out like any update, but the socket writer must not measure it as a delivery.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(2), NoNewEvent: true), entity);
        Assert.False((await ReadAsync(waiting, m => IsQuote(m, 2))).TryGetProperty("snapshot", out _));
        Assert.Equal(0, waiting.Outbox.OldestEventMs);

        // The next update an aggregate caused is measured again.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(3)), entity);
        await ReadAsync(waiting, m => IsQuote(m, 3));
        Assert.Equal(3_000, waiting.Outbox.OldestEventMs);

        // A new incarnation that adopted another hub's newer seed answers with it: an update for this node's clients, caught
        // up, not a new event.
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(5) with { Snapshot = true }), CreateTestProbe());
        await ReadAsync(waiting, m => IsQuote(m, 5));
        Assert.Equal(0, waiting.Outbox.OldestEventMs);
    }

    /// <summary>A session that re-registers the way the real ones do when a restarting hub asks (a probe would not).</summary>
    private sealed class RejoiningSession : ReceiveActor
    {
        public RejoiningSession(IActorRef hub, SessionOutbox outbox, string[] symbols)
        {
            Receive<HubProtocol.Rejoin>(_ =>
            {
                hub.Tell(new HubProtocol.Register(Self, outbox));
                hub.Tell(new HubProtocol.Subscribe(Self, symbols));
            });
            hub.Tell(new HubProtocol.Register(Self, outbox));
            hub.Tell(new HubProtocol.Subscribe(Self, symbols));
        }
    }

    [Fact]
    public async Task A_hub_that_throws_restarts_with_every_session_registered_again_and_updates_keep_flowing()
    {
        var (hub, region) = StartHub();
        var reader = new Reader(new SessionOutbox());
        Sys.ActorOf(Props.Create(() => new RejoiningSession(hub, reader.Outbox, new[] { "AAPL" })));
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var entity = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(7)), entity);
        await ReadAsync(reader, m => IsQuote(m, 7));

        // A message the hub cannot handle (a null session) throws inside it: the supervisor restarts it empty.
        await EventFilter.Exception<ArgumentNullException>().ExpectOneAsync(() =>
        {
            hub.Tell(new HubProtocol.Subscribe(null!, ["AAPL"]));
            return Task.CompletedTask;
        });

        // The session registered again: the hub renews its interest (asking for a snapshot) and delivers again.
        var renewed = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(("AAPL", true), (renewed.Symbol, renewed.WantSnapshot));
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(8)), entity);
        await ReadAsync(reader, m => IsQuote(m, 8));
        var report = await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal((1, 1), (report.Sessions, report.Symbols));
    }

    [Fact]
    public async Task The_hub_asks_for_the_upstream_event_only_while_it_has_Polygon_clients_on_the_symbol()
    {
        var (hub, region) = StartHub();
        await SubscribeAsync(hub, "AAPL");
        Assert.False((await region.ExpectMsgAsync<SymbolProtocol.Interest>()).WantsRaw);
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(1) with { Snapshot = true }), CreateTestProbe());

        var polygonSession = CreateTestProbe();
        hub.Tell(new HubProtocol.Register(polygonSession, new SessionOutbox(), SessionFormat.Polygon));
        hub.Tell(new HubProtocol.Subscribe(polygonSession, ["AAPL"]));

        // At once, not at the next renewal a minute away.
        var interest = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(("AAPL", false, true), (interest.Symbol, interest.WantSnapshot, interest.WantsRaw));

        // A symbol whose first client speaks Polygon asks for the event with its very first interest.
        hub.Tell(new HubProtocol.Subscribe(polygonSession, ["TSLA"]));
        var first = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(("TSLA", true), (first.Symbol, first.WantsRaw));
    }

    [Fact]
    public async Task A_batch_from_another_node_is_delivered_like_single_updates_and_its_incarnations_are_watched()
    {
        var (hub, region) = StartHub();
        var reader = await SubscribeAsync(hub, "AAPL", "MSFT");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var (aapl, msft) = (CreateTestProbe(), CreateTestProbe());

        hub.Tell(new SymbolProtocol.QuoteBatch([
            new(aapl, new SymbolProtocol.QuoteUpdated(At(5))), new(msft, new SymbolProtocol.QuoteUpdated(At(3, symbol: "MSFT"))),
        ]), CreateTestProbe());

        await ReadAsync(reader, m => IsQuote(m, 5) && m.GetProperty("symbol").GetString() == "AAPL");
        await ReadAsync(reader, m => IsQuote(m, 3) && m.GetProperty("symbol").GetString() == "MSFT");
        // The hub watches the incarnation named in the batch, not the batch's sender: when it stops, the next one is seeded.
        Sys.Stop(msft.Ref);
        var seeded = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(("MSFT", 3L), (seeded.Symbol, seeded.Seed?.Seq ?? 0));
    }

    [Fact]
    public async Task The_last_session_leaving_releases_the_interest_and_later_updates_go_nowhere()
    {
        var (hub, region) = StartHub();
        var session = CreateTestProbe();
        var outbox = new SessionOutbox();
        hub.Tell(new HubProtocol.Register(session, outbox));
        hub.Tell(new HubProtocol.Subscribe(session, ["MSFT"]));
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();

        hub.Tell(new HubProtocol.Unsubscribe(session, ["MSFT"]));

        var release = await region.ExpectMsgAsync<SymbolProtocol.ReleaseInterest>();
        Assert.Equal("MSFT", release.Symbol);
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(1, symbol: "MSFT")), CreateTestProbe());
        var report = await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal(0, report.Symbols);
        Assert.Equal(0, outbox.PendingQuotes);
    }

    [Fact]
    public async Task When_the_incarnation_stops_the_hub_seeds_the_next_one_at_once_with_its_latest_quote()
    {
        var (hub, region) = StartHub();
        var outbox = await SubscribeAsync(hub, "AAPL");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var incarnation = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(3_600)), incarnation);
        await ReadAsync(outbox, m => IsQuote(m, 3_600));

        Sys.Stop(incarnation); // a shard hand-off, or its node removed after a crash

        // Long before the next renewal (a minute away): the region gets the interest that creates the next incarnation.
        var reseed = await region.ExpectMsgAsync<SymbolProtocol.Interest>(Dilated(TimeSpan.FromSeconds(3)));
        Assert.True(reseed.WantSnapshot);
        Assert.Equal(3_600, reseed.Seed!.Seq);
        Assert.Equal(At(3_600), reseed.Seed);
    }

    [Fact]
    public async Task A_new_incarnation_is_heard_above_the_latest_seq_only_and_its_catch_up_snapshot_is_an_update()
    {
        var (hub, region) = StartHub();
        var outbox = await SubscribeAsync(hub, "AAPL");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var old = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(3_600)), old);
        await ReadAsync(outbox, m => IsQuote(m, 3_600));
        Sys.Stop(old);
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();

        // An unseeded incarnation's own count is dropped; the merged state it sends after adopting the seed is not.
        var next = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(2, price: 1m)), next);
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(3_601, price: 101m) with { Snapshot = true }), next);
        var update = await ReadAsync(outbox, m => m.GetProperty("type").GetString() == "quote");

        Assert.Equal(3_601, update.GetProperty("seq").GetInt64());
        Assert.Equal(101m, update.GetProperty("price").GetDecimal());
        Assert.False(update.TryGetProperty("snapshot", out _)); // an update for a subscriber that already had quotes

        hub.Tell(new SymbolProtocol.QuoteUpdated(At(3_602, price: 102m)), next);
        Assert.Equal(102m, (await ReadAsync(outbox, m => IsQuote(m, 3_602))).GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Renewals_carry_the_seed_only_while_no_live_incarnation_is_known()
    {
        var (hub, region) = StartHub(new QuotesOptions { RenewInterval = TimeSpan.FromMilliseconds(100), LeaseDuration = TimeSpan.FromSeconds(1) });
        var outbox = await SubscribeAsync(hub, "AAPL");
        await region.FishForMessageAsync<SymbolProtocol.Interest>(i => i.WantSnapshot);
        var incarnation = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(40)), incarnation);
        await ReadAsync(outbox, m => IsQuote(m, 40));

        // Known and alive: plain renewals.
        var renewal = await region.FishForMessageAsync<SymbolProtocol.Interest>(i => !i.WantSnapshot);
        Assert.Null(renewal.Seed);

        Sys.Stop(incarnation);
        var seeded = await region.FishForMessageAsync<SymbolProtocol.Interest>(i => i.Seed is not null);
        Assert.Equal(40, seeded.Seed!.Seq);
        // Until the next incarnation answers, every renewal carries the seed again.
        var again = await region.ExpectMsgAsync<SymbolProtocol.Interest>(Dilated(TimeSpan.FromSeconds(2)));
        Assert.Equal(40, again.Seed?.Seq);
    }

    [Fact]
    public async Task A_new_upstream_holder_hears_every_symbol_the_nodes_clients_hold()
    {
        var (hub, _) = StartHub();
        await SubscribeAsync(hub, "AAPL", "MSFT");
        await SubscribeAsync(hub, "TSLA");

        hub.Tell(UpstreamProtocol.RecallWants.Instance, TestActor);

        var wants = await ExpectMsgAsync<UpstreamProtocol.HubWants>();
        Assert.Equal(hub, wants.Hub);
        Assert.Equal(["AAPL", "MSFT", "TSLA"], wants.Symbols.Order());
    }

    [Fact]
    public async Task Clients_and_readiness_see_reconnecting_while_this_node_has_lost_sight_of_the_upstreams_node()
    {
        var sight = Sight.InSight;
        var status = new Quotes.Actors.Fanout.NodeStatus("realtime");
        var hub = Sys.ActorOf(Props.Create(() => new NodeHub(CreateTestProbe().Ref, CreateTestProbe().Ref, Slow, status, _ => sight)));
        var holder = CreateTestProbe();
        hub.Tell(new UpstreamProtocol.StatusChanged(UpstreamStates.Connected, "authenticated"), holder);
        var reader = await SubscribeAsync(hub, "AAPL"); // reads the first status
        Assert.Equal(UpstreamStates.Connected, status.Current.Upstream);

        // The hub checks once a second: clients get a status, and the probe's state reads the same.
        sight = Sight.Unreachable;
        await ReadAsync(reader, m => m.GetProperty("type").GetString() == "status" && m.GetProperty("upstream").GetString() == "reconnecting");
        Assert.Equal((UpstreamStates.Reconnecting, UpstreamView.UnreachableReason), (status.Current.Upstream, status.Current.Reason));

        sight = Sight.InSight;
        await ReadAsync(reader, m => m.GetProperty("type").GetString() == "status" && m.GetProperty("upstream").GetString() == "connected");
        Assert.Equal(UpstreamStates.Connected, status.Current.Upstream);
    }

    [Fact]
    public async Task A_leaving_nodes_quotes_seed_the_symbols_its_clients_bring_here_and_leave_held_ones_alone()
    {
        var (hub, region) = StartHub();
        var held = await SubscribeAsync(hub, "MSFT");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(50, symbol: "MSFT")), CreateTestProbe());
        await ReadAsync(held, m => IsQuote(m, 50));

        // A leaving node hands over its latest quotes: MSFT is followed here already, AAPL and TSLA are not (TSLA twice,
        // as two chunks or two leaving nodes may bring it: the newer one counts).
        hub.Tell(new HubProtocol.Bequest([At(7_000), At(9, symbol: "MSFT"), At(400, symbol: "TSLA")]));
        hub.Tell(new HubProtocol.Bequest([At(300, symbol: "TSLA")]));

        // The leaving node's clients reconnect here and subscribe: each symbol's next incarnation is seeded from the bequest.
        await SubscribeAsync(hub, "AAPL", "TSLA");
        var seeds = new[] { await region.ExpectMsgAsync<SymbolProtocol.Interest>(), await region.ExpectMsgAsync<SymbolProtocol.Interest>() }
            .ToDictionary(i => i.Symbol, i => i.Seed?.Seq);
        Assert.Equal(7_000, seeds["AAPL"]);
        Assert.Equal(400, seeds["TSLA"]);
        // MSFT goes on from this node's own quote, not the leaving node's older one.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(51, symbol: "MSFT")), CreateTestProbe());
        await ReadAsync(held, m => IsQuote(m, 51));
    }

    [Fact]
    public async Task A_symbol_let_go_and_subscribed_again_continues_from_what_the_node_delivered_before()
    {
        var (hub, region) = StartHub();
        var (session, reader) = await SessionOnAaplAsync(hub, region);
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(3_600)), CreateTestProbe());
        await ReadAsync(reader, m => IsQuote(m, 3_600));
        hub.Tell(new HubProtocol.Unsubscribe(session, ["AAPL"]));
        await region.ExpectMsgAsync<SymbolProtocol.ReleaseInterest>();

        // Later the entity has passivated; the next incarnation knows nothing. The hub seeds it with what it delivered.
        hub.Tell(new HubProtocol.Subscribe(session, ["AAPL"]));
        var interest = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(3_600, interest.Seed?.Seq);

        var fresh = CreateTestProbe();
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(1, price: 1m) with { Snapshot = true }), fresh); // not caught up: dropped
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(2, price: 2m)), fresh);
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(3_600) with { Snapshot = true }), fresh);
        var snapshot = await ReadAsync(reader, m => m.GetProperty("type").GetString() == "quote");
        Assert.Equal(3_600, snapshot.GetProperty("seq").GetInt64());
        Assert.True(snapshot.GetProperty("snapshot").GetBoolean());
    }

    [Fact]
    public async Task An_incarnation_that_answers_below_the_seed_is_seeded_again_at_the_next_renewal()
    {
        var (hub, region) = StartHub(new QuotesOptions { RenewInterval = TimeSpan.FromMilliseconds(100), LeaseDuration = TimeSpan.FromSeconds(1) });
        var reader = await SubscribeAsync(hub, "AAPL");
        await region.FishForMessageAsync<SymbolProtocol.Interest>(i => i.WantSnapshot);
        var old = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(500)), old);
        await ReadAsync(reader, m => IsQuote(m, 500));
        Sys.Stop(old);
        await region.FishForMessageAsync<SymbolProtocol.Interest>(i => i.Seed is not null);

        // An incarnation that could not read the seed (an older version, during a rolling upgrade) answers from scratch.
        hub.Tell(new SymbolProtocol.Snapshot("AAPL", At(1) with { Snapshot = true }), CreateTestProbe());

        var again = await region.FishForMessageAsync<SymbolProtocol.Interest>(i => i.WantSnapshot, Dilated(TimeSpan.FromSeconds(2)));
        Assert.Equal(500, again.Seed?.Seq);
    }

    [Fact]
    public async Task An_incarnation_restarted_in_place_whose_updates_fall_below_what_the_node_delivered_is_seeded_again()
    {
        var (hub, region) = StartHub(); // renewals a minute apart: what the region gets is the hub's answer to the step
        var reader = await SubscribeAsync(hub, "AAPL");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        var entity = CreateTestProbe();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(500)), entity);
        await ReadAsync(reader, m => IsQuote(m, 500));
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(501)), entity); // followed: nothing goes to the region
        await ReadAsync(reader, m => IsQuote(m, 501));
        await region.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));

        // The entity threw and its shard restarted it: the same reference (no Terminated), its state from scratch.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(1, price: 1m)), entity);

        var seeded = await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        Assert.Equal(501, seeded.Seed?.Seq); // at once, not at the next renewal
        Assert.True(seeded.WantSnapshot); // and asks which incarnation answers, to follow it again
    }

    [Fact]
    public async Task An_update_never_narrows_the_day_the_node_delivered()
    {
        var (hub, region) = StartHub();
        var reader = await SubscribeAsync(hub, "AAPL");
        await region.ExpectMsgAsync<SymbolProtocol.Interest>();
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(10)), CreateTestProbe()); // high 120, low 90, volume 5,000,010

        // An incarnation that missed part of the day: a higher seq, a narrower range, less volume.
        hub.Tell(new SymbolProtocol.QuoteUpdated(At(11) with { High = 101m, Low = 99m, Volume = 10 }), CreateTestProbe());
        var quote = await ReadAsync(reader, m => IsQuote(m, 11));

        Assert.Equal(120m, quote.GetProperty("high").GetDecimal());
        Assert.Equal(90m, quote.GetProperty("low").GetDecimal());
        Assert.Equal(5_000_010, quote.GetProperty("volume").GetInt64());
    }
}
