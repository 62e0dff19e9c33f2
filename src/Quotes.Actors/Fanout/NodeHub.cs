using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream;
using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// One per node: which local sessions hold which symbol. Holds one interest lease per symbol at its entity (never one per
/// client), encodes each quote once and offers the same bytes to every local session's outbox. Also relays upstream and
/// market status to every session.
/// <para>
/// Offers do not wake the writers one by one: the outboxes a burst made pending are woken together by one
/// <see cref="Flush"/>, <see cref="QuotesOptions.SendCoalescing"/> after the burst's first offer (at once when it is
/// zero: then the flush runs once every update queued before it has been offered). On a cluster a burst reaches the hub
/// from every node's entities a few milliseconds apart; the window gathers them, so a burst still leaves as one frame
/// per client, and the node pays one timer per burst rather than one per client frame. Under sustained load the
/// batches, and so the frames, simply grow.
/// </para>
/// <para>
/// The hub watches the incarnation of each symbol's entity it hears from. When that one stops (a shard moved, its node
/// left or crashed), the hub at once renews its interest with its latest quote as the seed, which creates the next
/// incarnation and lets it continue <c>seq</c> and the day's state; until it hears from a live incarnation again, every
/// renewal carries the seed, and an incarnation that answers below it (one that could not read it), or whose updates
/// fall below it (one restarted in place after a throw, which no Terminated announces), is seeded again.
/// Updates whose <c>seq</c> is not above the latest delivered are dropped (a late message of an earlier incarnation),
/// an update never narrows the day delivered before (<see cref="DayContinuity"/>), and a snapshot for a new subscriber is
/// always the newest quote this node delivered. When the node's clients let a symbol go, its latest quote is kept
/// (<see cref="ReleasedQuotes"/>) and seeds the symbol when they come back.
/// </para>
/// </summary>
public sealed class NodeHub : ReceiveActor, IWithTimers
{
    /// <summary>The hub's name under <c>/user</c> on every node; the upstream finds every node's hub by it.</summary>
    public const string Name = "hub";

    /// <summary>Symbols whose latest quote the hub keeps after its clients let them go: about 2 MB at most.</summary>
    private const int ReleasedCapacity = 10_000;

    /// <summary>Renewals per <see cref="SymbolProtocol.InterestRenewals"/> at most: about 10 bytes each.</summary>
    private const int MaxRenewalsPerMessage = 2_000;

    // Ticks to self: they leave a receive timeout alone and make no dead-letter noise once the actor is gone.
    private sealed class RenewAll : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly RenewAll Instance = new(); }
    private sealed class CheckMarket : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly CheckMarket Instance = new(); }
    private sealed class Flush : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Flush Instance = new(); }

    private sealed record SessionEntry(SessionOutbox Outbox, SessionFormat Format, HashSet<string> Symbols);

    private readonly IActorRef _region;
    private readonly IActorRef _upstream;
    private readonly QuotesOptions _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, SessionEntry> _sessions = new();
    private readonly Dictionary<string, HubSymbol> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _entities = new();
    private readonly ReleasedQuotes _released = new(ReleasedCapacity);
    private readonly List<SessionOutbox> _toWake = [];
    private Timer? _flushTimer;
    private readonly QuotesMetrics _metrics = QuotesMetrics.For(Context.System);
    private long _offered; // quotes offered since the last flush: counted once per batch
    private readonly UpstreamView _upstreamView = new();
    private readonly Func<Address, Sight> _sight;
    private string _market = MarketCalendar.StateAt(DateTimeOffset.UtcNow);
    private readonly NodeStatus _published;
    private byte[] _status;

    /// <param name="sight">How this node sees another (<see cref="NodeSight"/>, the default).</param>
    public NodeHub(IActorRef region, IActorRef upstream, QuotesOptions settings, NodeStatus? published = null, Func<Address, Sight>? sight = null)
    {
        _region = region;
        _upstream = upstream;
        _settings = settings;
        _sight = sight ?? NodeSight.Of(Context.System);
        _published = published ?? new NodeStatus("realtime");
        _status = EncodeStatus();
        Publish();

        Receive<HubProtocol.Register>(OnRegister);
        Receive<HubProtocol.Subscribe>(OnSubscribe);
        Receive<HubProtocol.Unsubscribe>(u => Remove(u.Session, u.Symbols));
        Receive<Terminated>(OnTerminated);
        Receive<SymbolProtocol.Snapshot>(OnSnapshot);
        Receive<SymbolProtocol.QuoteUpdated>(u => OnQuote(u, Sender));
        Receive<SymbolProtocol.QuoteBatch>(b => { foreach (var item in b.Updates) OnQuote(item.Update, item.Entity); });
        Receive<Flush>(_ => WakeWriters());
        Receive<UpstreamProtocol.StatusChanged>(OnUpstreamStatus);
        Receive<CheckMarket>(_ =>
        {
            _published.Report(); // once a second: readiness fails when the hub stops reporting
            CheckHolderSight();
            var m = MarketCalendar.StateAt(DateTimeOffset.UtcNow);
            if (m != _market) { _market = m; Publish(); BroadcastStatus(); }
            else if (_published.Feed != _statusFeed) BroadcastStatus(); // the REST upstream's answers turned out simulated, or no longer
        });
        Receive<RenewAll>(_ => OnRenew());
        Receive<UpstreamProtocol.RecallWants>(_ => Sender.Tell(new UpstreamProtocol.HubWants(Self, _symbols.Keys.ToList())));
        Receive<HubProtocol.GetReport>(_ => Sender.Tell(Report()));
        Receive<HubProtocol.Bequeath>(_ => Bequeath());
        Receive<HubProtocol.Bequest>(OnBequest);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void OnRegister(HubProtocol.Register register)
    {
        _sessions[register.Session] = new SessionEntry(register.Outbox, register.Format, new HashSet<string>(StringComparer.Ordinal));
        Context.Watch(register.Session);
        if (register.Format == SessionFormat.Quotes) register.Outbox.EnqueueControl(_status);
    }

    private void OnSubscribe(HubProtocol.Subscribe subscribe)
    {
        if (!_sessions.TryGetValue(subscribe.Session, out var session)) return;
        foreach (var symbol in subscribe.Symbols)
        {
            var again = !session.Symbols.Add(symbol);
            var isNew = !_symbols.TryGetValue(symbol, out var known);
            var entry = known ?? (_symbols[symbol] = new HubSymbol(_released.Take(symbol)));
            var slot = session.Outbox.SlotFor(symbol);
            if (slot < 0)
            {
                if (isNew) AskForIncarnation(symbol, entry); // the session is closing; Remove lets the symbol go
                continue;
            }
            if (session.Format == SessionFormat.Polygon)
            {
                entry.PolygonOutboxes[session.Outbox] = slot; // Polygon sends no snapshot: the next upstream event is the first
                // The symbol's first Polygon-protocol client: from now on the entity's updates must carry the upstream event.
                if (isNew || entry.Entity is null) AskForIncarnation(symbol, entry);
                else if (entry.PolygonOutboxes.Count == 1) Renew(symbol, entry);
                continue;
            }
            if (isNew) AskForIncarnation(symbol, entry);
            entry.Outboxes[session.Outbox] = slot;
            // A symbol the session holds already: the client asked for a fresh snapshot (PROTOCOL.md), even if it is the very
            // quote it was last sent.
            if (entry.SnapshotBytes is { } snapshot) session.Outbox.OfferSnapshot(symbol, snapshot, again);
            else entry.AwaitingSnapshot.Add(session.Outbox);
        }
    }

    private void Remove(IActorRef session, IReadOnlyList<string> symbols)
    {
        if (!_sessions.TryGetValue(session, out var held)) return;
        foreach (var symbol in symbols)
        {
            held.Symbols.Remove(symbol);
            held.Outbox.Forget(symbol);
            if (!_symbols.TryGetValue(symbol, out var entry)) continue;
            entry.Outboxes.Remove(held.Outbox);
            entry.PolygonOutboxes.Remove(held.Outbox);
            entry.AwaitingSnapshot.Remove(held.Outbox);
            if (!entry.IsEmpty) continue;
            _symbols.Remove(symbol);
            Untrack(entry);
            if (entry.Seed is { } seed) _released.Keep(seed);
            _region.Tell(new SymbolProtocol.ReleaseInterest(symbol, Self));
        }
    }

    private void OnSnapshot(SymbolProtocol.Snapshot snapshot)
    {
        if (!_symbols.TryGetValue(snapshot.Symbol, out var entry)) return;
        // An incarnation that has not continued from this node's seed stays unknown, so the next renewal seeds it again.
        if (entry.CaughtUp(snapshot.Quote)) Track(entry, snapshot.Symbol, Sender);
        if (snapshot.Quote is { } quote && entry.IsNew(quote))
        {
            var delivered = entry.Latest is not null;
            var latest = entry.Deliver(quote with { Snapshot = null });
            // Newer than what this node's subscribers hold (a new incarnation that adopted another hub's seed): an update, but
            // not a new event (its timestamp can be long past), so not timed as a delivery.
            if (delivered && entry.Outboxes.Count > 0) Offer(entry.Outboxes, ServerMessageEncoder.Encode(latest), eventMs: 0, entry);
        }
        if (entry.AwaitingSnapshot.Count == 0 || entry.SnapshotBytes is not { } encoded) return;
        foreach (var outbox in entry.AwaitingSnapshot) outbox.OfferSnapshot(snapshot.Symbol, encoded);
        entry.AwaitingSnapshot.Clear();
    }

    private void OnQuote(SymbolProtocol.QuoteUpdated update, IActorRef entity)
    {
        if (!_symbols.TryGetValue(update.Quote.Symbol, out var entry)) return;
        if (!entry.IsNew(update.Quote))
        {
            // The incarnation this hub follows went back: it started over in place (it threw, and its shard restarted it,
            // same reference, so no Terminated). Seed it now with what this node delivered, as after a Terminated; else its
            // updates would be dropped until its seq climbed back, for as long as the symbol had streamed.
            if (entity.Equals(entry.Entity) && update.Quote.Seq < entry.Latest?.Seq)
            {
                Untrack(entry);
                AskForIncarnation(update.Quote.Symbol, entry);
            }
            return;
        }
        Track(entry, update.Quote.Symbol, entity);
        var quote = entry.Deliver(update.Quote);
        // Sessions that subscribed before the symbol had a price get this first quote as their snapshot.
        // An update no new upstream event caused (the provider's day, an adopted seed) carries an older event's timestamp.
        if (entry.Outboxes.Count > 0) Offer(entry.Outboxes, ServerMessageEncoder.Encode(quote), update.NoNewEvent ? 0 : quote.Timestamp, entry);
        entry.AwaitingSnapshot.Clear();
        if (update.RawEvent is { } raw) Offer(entry.PolygonOutboxes, raw, quote.Timestamp);
    }

    /// <summary>Watches the incarnation a symbol's messages come from, so that the hub notices at once when it stops.</summary>
    private void Track(HubSymbol entry, string symbol, IActorRef entity)
    {
        if (entity.IsNobody() || entity.Equals(entry.Entity)) return;
        Untrack(entry);
        entry.Entity = entity;
        _entities[entity] = symbol;
        Context.Watch(entity);
    }

    private void Untrack(HubSymbol entry)
    {
        if (entry.Entity is not { } entity) return;
        entry.Entity = null;
        _entities.Remove(entity);
        Context.Unwatch(entity);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_sessions.TryGetValue(terminated.ActorRef, out var session))
        {
            Remove(terminated.ActorRef, session.Symbols.ToList());
            _sessions.Remove(terminated.ActorRef);
            return;
        }
        if (!_entities.Remove(terminated.ActorRef, out var symbol) || !_symbols.TryGetValue(symbol, out var entry)) return;
        // The incarnation stopped: seed the next one now rather than at the next renewal.
        entry.Entity = null;
        AskForIncarnation(symbol, entry);
    }

    /// <param name="entry">
    /// the symbol, for quotes-protocol outboxes: one that has had no quote of it yet (<see cref="HubSymbol.AwaitingSnapshot"/>),
    /// or whose unsent quote is still its snapshot (<see cref="SessionOutbox.OwesSnapshot"/>), gets this quote as the snapshot
    /// (<see cref="HubSymbol.SnapshotBytes"/>, encoded once), so a client's first quote of a symbol is always marked one; null
    /// for Polygon-protocol outboxes
    /// </param>
    private void Offer(Dictionary<SessionOutbox, int> outboxes, byte[] encoded, long eventMs, HubSymbol? entry = null)
    {
        var wasIdle = _toWake.Count == 0;
        _offered += outboxes.Count;
        foreach (var (outbox, slot) in outboxes)
        {
            var snapshot = entry is not null && (entry.AwaitingSnapshot.Count > 0 && entry.AwaitingSnapshot.Contains(outbox) || outbox.OwesSnapshot(slot));
            if (outbox.OfferQuote(slot, snapshot ? entry!.SnapshotBytes! : encoded, eventMs, snapshot)) _toWake.Add(outbox);
        }
        if (wasIdle && _toWake.Count > 0) ScheduleFlush();
    }

    /// <summary>
    /// A .NET timer rather than Akka's: Akka's scheduler ticks every 50 ms here (hocon/quotes.hocon), too coarse for a
    /// window of a few milliseconds. One timer per hub, re-armed once per burst.
    /// </summary>
    private void ScheduleFlush()
    {
        if (_flushTimer is null) Self.Tell(Flush.Instance);
        else _flushTimer.Change(_settings.SendCoalescing, Timeout.InfiniteTimeSpan);
    }

    private void WakeWriters()
    {
        foreach (var outbox in _toWake) outbox.Wake();
        _toWake.Clear();
        _metrics.Offered(_offered);
        _offered = 0;
    }

    private void OnUpstreamStatus(UpstreamProtocol.StatusChanged status)
    {
        var changed = _upstreamView.Reported(status.State, status.Reason, Sender.Path.Address);
        if (_published.PublishFeed(status.Simulated))
        {
            changed = true;
            if (_published.Feed == NodeStatus.SimulatorFeed)
                _log.Warning("Feed is now simulator: the upstream announced itself as a simulator, its prices are SIMULATED (configured feed {Configured})",
                    _published.ConfiguredFeed);
            else _log.Warning("Feed is {Feed} again: the upstream no longer announces itself as a simulator", _published.Feed);
        }
        Publish();
        if (changed) BroadcastStatus();
    }

    /// <summary>
    /// The node is stopping: the latest quote of every symbol held here goes to the other nodes' hubs, so the clients closed
    /// with 1001 find their symbols' <c>seq</c> and day wherever they reconnect, even where nobody else held them.
    /// </summary>
    private void Bequeath()
    {
        var quotes = _symbols.Values.Select(s => s.Latest).OfType<Quote>().ToList();
        var nodes = NodeBatches.ReadsBequests(Context.System).ToList();
        if (quotes.Count == 0 || nodes.Count == 0) return;
        foreach (var node in nodes)
        {
            var hub = Context.ActorSelection(new RootActorPath(node) / "user" / Name);
            foreach (var chunk in RemoteChunks.BySize(quotes, _ => BequeathedQuoteBytes)) hub.Tell(new HubProtocol.Bequest(chunk));
        }
        _log.Info("Leaving: the latest quotes of {Symbols} symbol(s) handed to {Nodes} other node(s)", quotes.Count, nodes.Count);
    }

    /// <summary>A quote on the wire, estimated from above (symbol, ten decimals, volume, stamps, seq, the bar).</summary>
    private const int BequeathedQuoteBytes = 400;

    /// <summary>A leaving node's quotes: those of symbols not held here are kept as released ones (the newest of each).</summary>
    private void OnBequest(HubProtocol.Bequest bequest)
    {
        var kept = 0;
        foreach (var quote in bequest.Quotes)
        {
            if (_symbols.ContainsKey(quote.Symbol)) continue; // held here: this hub follows the symbol itself
            _released.KeepNewer(quote);
            kept++;
        }
        _log.Info("Kept {Kept} of {Quotes} quote(s) handed over by leaving node {Node}", kept, bequest.Quotes.Count, Sender.Path.Address);
    }

    /// <summary>
    /// Once a second: whether this node still sees the upstream holder's node. When that changes, readiness and the reason
    /// follow at once, and clients get a status when the state they see changed.
    /// </summary>
    private void CheckHolderSight()
    {
        var before = _upstreamView.State;
        if (_upstreamView.Holder is not { } holder || !_upstreamView.Sighted(_sight(holder))) return;
        // Lost sight of: a fault. Gone: a hand-over (a graceful leave, or a crashed node's removal, warned about already).
        if (_upstreamView.HolderSight == Sight.Unreachable)
            _log.Warning("Upstream {State} for this node's clients: {Reason} ({Holder})", _upstreamView.State, _upstreamView.Reason, holder);
        else _log.Info("Upstream {State} for this node's clients: {Reason} ({Holder})", _upstreamView.State, _upstreamView.Reason, holder);
        Publish();
        if (_upstreamView.State != before) BroadcastStatus();
    }

    /// <summary>
    /// Renews every held symbol's lease. Renewals for entities on another node that reads batches travel in one
    /// <see cref="SymbolProtocol.InterestRenewals"/> per node (to its <see cref="SymbolInbox"/>), not one message per symbol.
    /// </summary>
    private void OnRenew()
    {
        Dictionary<Address, List<SymbolProtocol.InterestRenewals.Item>>? byNode = null;
        Dictionary<Address, bool>? reads = null; // per round: a node restarted at the same address may run another version
        foreach (var (symbol, entry) in _symbols)
        {
            if (entry.Entity is not { } entity) AskForIncarnation(symbol, entry);
            else if (entity.Path.Address is var node && !node.HasLocalScope && ReadsBatches(node, reads ??= []))
            {
                byNode ??= [];
                if (!byNode.TryGetValue(node, out var items)) byNode[node] = items = [];
                items.Add(new SymbolProtocol.InterestRenewals.Item(symbol, entry.PolygonOutboxes.Count > 0));
            }
            else Renew(symbol, entry);
        }
        if (byNode is not null)
            foreach (var (node, items) in byNode)
            {
                var inbox = Context.ActorSelection(NodeBatches.InboxOf(node));
                foreach (var chunk in items.Chunk(MaxRenewalsPerMessage)) inbox.Tell(new SymbolProtocol.InterestRenewals(Self, chunk));
            }
        _upstream.Tell(new UpstreamProtocol.WatchStatus(Self));
    }

    private bool ReadsBatches(Address node, Dictionary<Address, bool> known)
    {
        if (!known.TryGetValue(node, out var reads)) known[node] = reads = NodeBatches.Reads(Context.System, node);
        return reads;
    }

    private void Renew(string symbol, HubSymbol entry) =>
        _region.Tell(new SymbolProtocol.Interest(symbol, Self, WantSnapshot: false, WantsRaw: entry.PolygonOutboxes.Count > 0));

    /// <summary>
    /// Interest while no caught-up incarnation is known: creates one if none runs, hands it the seed, and asks for its
    /// state (the answer tells the hub which incarnation to watch).
    /// </summary>
    private void AskForIncarnation(string symbol, HubSymbol entry) =>
        _region.Tell(new SymbolProtocol.Interest(symbol, Self, WantSnapshot: true, entry.Seed, WantsRaw: entry.PolygonOutboxes.Count > 0));

    private HubProtocol.Report Report() => new(_sessions.Count, _symbols.Count, _upstreamView.State, _upstreamView.Reason, _market, Backlog(),
        _sessions.Values.Sum(s => s.Symbols.Count), _metrics.Sockets.SlowConsumersClosed);

    private OutboxBacklog Backlog()
    {
        long quotes = 0, control = 0, conflated = 0;
        var largest = 0;
        foreach (var session in _sessions.Values)
        {
            var (q, c) = (session.Outbox.PendingQuotes, session.Outbox.PendingControl);
            quotes += q;
            control += c;
            largest = Math.Max(largest, q + c);
            conflated += session.Outbox.Conflated;
        }
        return new OutboxBacklog(quotes, control, largest, conflated);
    }

    private void BroadcastStatus()
    {
        _status = EncodeStatus();
        _log.Info("Status for clients: upstream {Upstream}, market {Market}", _upstreamView.State, _market);
        foreach (var session in _sessions.Values.Where(s => s.Format == SessionFormat.Quotes)) session.Outbox.EnqueueControl(_status);
    }

    private byte[] EncodeStatus()
    {
        _statusFeed = _published.Feed;
        return ServerMessageEncoder.Encode(new ServerMessages.Status(_upstreamView.State, _market, _statusFeed));
    }

    /// <summary>The feed in the status clients were last sent.</summary>
    private string? _statusFeed;

    private void Publish() => _published.Publish(_upstreamView.State, _upstreamView.Reason, _market);

    /// <summary>
    /// A throw restarts the hub empty. The sessions are the truth of who holds what: each one known here is asked to
    /// register again with everything it holds, so no client is stranded (each gets a fresh snapshot of its symbols).
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        // The supervisor logs the exception itself.
        _log.Warning("Hub failed on {Message}; restarting, {Sessions} session(s) asked to register again", message?.GetType().Name ?? "?", _sessions.Count);
        foreach (var session in _sessions.Keys) session.Tell(HubProtocol.Rejoin.Instance);
        base.PreRestart(reason, message);
    }

    protected override void PostStop() => _flushTimer?.Dispose();

    protected override void PreStart()
    {
        if (_settings.SendCoalescing > TimeSpan.Zero)
        {
            var self = Self;
            _flushTimer = new Timer(_ => self.Tell(Flush.Instance));
        }
        Timers.StartPeriodicTimer("renew", RenewAll.Instance, _settings.RenewInterval);
        Timers.StartPeriodicTimer("market", CheckMarket.Instance, TimeSpan.FromSeconds(1));
        _upstream.Tell(new UpstreamProtocol.WatchStatus(Self));
    }
}

/// <summary>Registers this node's hub under <see cref="NodeHub"/>.</summary>
public static class NodeHubExtensions
{
    public static AkkaConfigurationBuilder AddNodeHub(this AkkaConfigurationBuilder builder) =>
        builder
            .AddFanoutDispatcher()
            .AddHocon($"{QuoteConflatingMailbox.Id}.mailbox-type = \"{typeof(QuoteConflatingMailbox).AssemblyQualifiedName}\"", HoconAddMode.Prepend)
            .WithActors((system, registry, resolver) =>
            {
                var settings = resolver.GetService<QuotesOptions>();
                var status = resolver.GetService<NodeStatus>();
                var props = Props.Create(() => new NodeHub(registry.Get<SymbolActor>(), registry.Get<UpstreamActor>(), settings, status))
                    .WithMailbox(QuoteConflatingMailbox.Id)
                    .WithDispatcher(FanoutDispatcher.Id);
                var hub = system.ActorOf(props, NodeHub.Name);
                registry.Register<NodeHub>(hub);
            });
}
