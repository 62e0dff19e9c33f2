using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Quotes.Contracts;
using Quotes.Actors.Sessions;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;

namespace Quotes.Actors.Fanout;

/// <summary>
/// One per node: which local sessions hold which symbol. Holds one interest lease per symbol at its entity (never one per
/// client), encodes each quote once and offers the same bytes to every local session's outbox. Also relays upstream and
/// market status to every session.
/// <para>
/// Offers do not wake the writers one by one: the outboxes a batch of updates made pending are woken together by a
/// <see cref="Flush"/> the hub sends itself, which runs once every update queued before it has been offered. A burst
/// (one upstream frame for hundreds of symbols) therefore leaves as one frame per client, with no timer; under
/// sustained load the batches, and so the frames, simply grow.
/// </para>
/// </summary>
public sealed class NodeHub : ReceiveActor, IWithTimers
{
    private sealed class Renew { public static readonly Renew Instance = new(); }
    private sealed class CheckMarket { public static readonly CheckMarket Instance = new(); }
    private sealed class Flush { public static readonly Flush Instance = new(); }

    private sealed class SymbolEntry
    {
        /// <summary>Subscribed outboxes and the slot each one carries this symbol in.</summary>
        public readonly Dictionary<SessionOutbox, int> Outboxes = [];
        public readonly Dictionary<SessionOutbox, int> PolygonOutboxes = [];
        public readonly HashSet<SessionOutbox> AwaitingSnapshot = [];
        public Quote? Latest;
        private byte[]? _snapshot;
        public bool IsEmpty => Outboxes.Count == 0 && PolygonOutboxes.Count == 0;

        /// <summary>The latest quote as a snapshot, encoded once per update however many sessions subscribe meanwhile.</summary>
        public byte[]? SnapshotBytes => Latest is { } latest ? _snapshot ??= ServerMessageEncoder.Encode(latest with { Snapshot = true }) : null;

        public void SetLatest(Quote quote)
        {
            Latest = quote;
            _snapshot = null;
        }
    }

    private sealed record SessionEntry(SessionOutbox Outbox, SessionFormat Format, HashSet<string> Symbols);

    private readonly IActorRef _region;
    private readonly IActorRef _upstream;
    private readonly QuotesSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, SessionEntry> _sessions = new();
    private readonly Dictionary<string, SymbolEntry> _symbols = new(StringComparer.Ordinal);
    private readonly List<SessionOutbox> _toWake = [];
    private string _upstreamState = UpstreamStates.Connecting;
    private string _upstreamReason = "waiting for the upstream singleton";
    private string _market = MarketCalendar.StateAt(DateTimeOffset.UtcNow);
    private byte[] _status;

    public NodeHub(IActorRef region, IActorRef upstream, QuotesSettings settings)
    {
        _region = region;
        _upstream = upstream;
        _settings = settings;
        _status = EncodeStatus();

        Receive<HubProtocol.Register>(OnRegister);
        Receive<HubProtocol.Subscribe>(OnSubscribe);
        Receive<HubProtocol.Unsubscribe>(u => Remove(u.Session, u.Symbols));
        Receive<Terminated>(t => { if (_sessions.TryGetValue(t.ActorRef, out var s)) Remove(t.ActorRef, s.Symbols.ToList()); _sessions.Remove(t.ActorRef); });
        Receive<SymbolProtocol.Snapshot>(OnSnapshot);
        Receive<SymbolProtocol.QuoteUpdated>(OnQuote);
        Receive<Flush>(_ => WakeWriters());
        Receive<UpstreamProtocol.StatusChanged>(OnUpstreamStatus);
        Receive<CheckMarket>(_ => { var m = MarketCalendar.StateAt(DateTimeOffset.UtcNow); if (m != _market) { _market = m; BroadcastStatus(); } });
        Receive<Renew>(_ => OnRenew());
        Receive<HubProtocol.GetReport>(_ => Sender.Tell(new HubProtocol.Report(_sessions.Count, _symbols.Count, _upstreamState, _upstreamReason, _market, Backlog())));
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
            session.Symbols.Add(symbol);
            if (!_symbols.TryGetValue(symbol, out var entry))
            {
                _symbols[symbol] = entry = new SymbolEntry();
                _region.Tell(new SymbolProtocol.Interest(symbol, Self, WantSnapshot: true));
            }
            var slot = session.Outbox.SlotFor(symbol);
            if (slot < 0) continue; // the session is closing
            if (session.Format == SessionFormat.Polygon)
            {
                entry.PolygonOutboxes[session.Outbox] = slot; // Polygon sends no snapshot: the next upstream event is the first
                continue;
            }
            entry.Outboxes[session.Outbox] = slot;
            if (entry.SnapshotBytes is { } snapshot) session.Outbox.OfferQuote(symbol, snapshot);
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
            _region.Tell(new SymbolProtocol.ReleaseInterest(symbol, Self));
        }
    }

    private void OnSnapshot(SymbolProtocol.Snapshot snapshot)
    {
        if (!_symbols.TryGetValue(snapshot.Symbol, out var entry) || snapshot.Quote is not { } quote) return;
        if (entry.Latest is null || entry.Latest.Seq < quote.Seq) entry.SetLatest(quote with { Snapshot = null });
        if (entry.AwaitingSnapshot.Count == 0) return;
        var encoded = ServerMessageEncoder.Encode(quote);
        foreach (var outbox in entry.AwaitingSnapshot) outbox.OfferQuote(snapshot.Symbol, encoded);
        entry.AwaitingSnapshot.Clear();
    }

    private void OnQuote(SymbolProtocol.QuoteUpdated update)
    {
        var quote = update.Quote;
        if (!_symbols.TryGetValue(quote.Symbol, out var entry)) return;
        if (entry.Latest is { } latest && latest.Seq >= quote.Seq) return;
        entry.SetLatest(quote);
        entry.AwaitingSnapshot.Clear();
        if (entry.Outboxes.Count > 0) Offer(entry.Outboxes, ServerMessageEncoder.Encode(quote));
        if (update.RawEvent is { } raw) Offer(entry.PolygonOutboxes, raw);
    }

    private void Offer(Dictionary<SessionOutbox, int> outboxes, byte[] encoded)
    {
        var wasIdle = _toWake.Count == 0;
        foreach (var (outbox, slot) in outboxes)
            if (outbox.OfferQuote(slot, encoded)) _toWake.Add(outbox);
        if (wasIdle && _toWake.Count > 0) Self.Tell(Flush.Instance);
    }

    private void WakeWriters()
    {
        foreach (var outbox in _toWake) outbox.Wake();
        _toWake.Clear();
    }

    private void OnUpstreamStatus(UpstreamProtocol.StatusChanged status)
    {
        _upstreamReason = status.Reason;
        if (status.State == _upstreamState) return;
        _upstreamState = status.State;
        BroadcastStatus();
    }

    private void OnRenew()
    {
        foreach (var symbol in _symbols.Keys) _region.Tell(new SymbolProtocol.Interest(symbol, Self, WantSnapshot: false));
        _upstream.Tell(new UpstreamProtocol.WatchStatus(Self));
    }

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
        _log.Info("Status for clients: upstream {Upstream}, market {Market}", _upstreamState, _market);
        foreach (var session in _sessions.Values.Where(s => s.Format == SessionFormat.Quotes)) session.Outbox.EnqueueControl(_status);
    }

    private byte[] EncodeStatus() => ServerMessageEncoder.Encode(new ServerMessages.Status(_upstreamState, _market));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("renew", Renew.Instance, _settings.RenewInterval);
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
                var settings = resolver.GetService<QuotesSettings>();
                var props = Props.Create(() => new NodeHub(registry.Get<SymbolActor>(), registry.Get<UpstreamActor>(), settings))
                    .WithMailbox(QuoteConflatingMailbox.Id)
                    .WithDispatcher(FanoutDispatcher.Id);
                var hub = system.ActorOf(props, "hub");
                registry.Register<NodeHub>(hub);
            });
}
