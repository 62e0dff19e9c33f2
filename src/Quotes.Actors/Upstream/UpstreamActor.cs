using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Quotes.Actors.Fanout;
using Quotes.Actors.Polygon;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Pipeline;
using Quotes.Contracts;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The cluster's single Polygon connection (a cluster singleton). Holds the set of wanted symbols as leases from the
/// symbol entities, authenticates, subscribes and unsubscribes in batches, reconnects with backoff, and tells every
/// watching hub when its state changes. Aggregates bypass this actor: the connection's pipeline routes them to the shard
/// region. Its states: <see cref="Waiting"/> (no connection; backoff, cooldown, unauthorized, fenced or down),
/// <see cref="Connecting"/>, <see cref="Authenticating"/>, <see cref="Connected"/>, and <see cref="HandingOver"/>.
/// </summary>
public sealed class UpstreamActor : ReceiveActor, IWithTimers
{
    private sealed class Connect { public static readonly Connect Instance = new(); }
    private sealed class Sweep { public static readonly Sweep Instance = new(); }
    private sealed class Flush { public static readonly Flush Instance = new(); }
    private sealed record Opened(UpstreamConnection Connection) : INoSerializationVerificationNeeded;
    private sealed record OpenFailed(int Generation, string Reason);
    private sealed record Healthy(int Generation);
    private sealed record AuthDeadline(int Generation);
    private sealed record Frozen(TimeSpan Gap);
    private sealed class CheckFence { public static readonly CheckFence Instance = new(); }
    private sealed class HandedOver { public static readonly HandedOver Instance = new(); }
    private sealed class SelfRemoved { public static readonly SelfRemoved Instance = new(); }

    /// <summary>A tripped fence is re-armed once the cluster has counted every member reachable for this long.</summary>
    /// <remarks>Longer than it takes this node's own failure detector and split-brain resolver to act after a freeze (~2 s to see
    /// silent peers unreachable, 3 s stable-after to down itself), so a node the others downed learns it before it re-arms.</remarks>
    private static readonly TimeSpan FenceSettle = TimeSpan.FromSeconds(10);

    /// <summary>
    /// In its first <see cref="QuotesSettings.EvictionCooldown"/>, a holder that took over from another node retries an
    /// eviction after this instead of the cooldown: the usual cause is the previous holder's connection, not yet closed.
    /// </summary>
    private static readonly TimeSpan TakeoverRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>A symbol refused past <c>Polygon:MaxSymbols</c> is logged at most this often (its entity renews every few seconds).</summary>
    private static readonly TimeSpan OverCapLogEvery = TimeSpan.FromMinutes(1);

    private readonly PolygonOptions _polygon;
    private readonly QuotesSettings _settings;
    private readonly IActorRef _region;
    private readonly AggregateRouting _routing;
    private readonly UpstreamRefill _refill;
    private readonly SubscriptionSet _subscriptions;
    private readonly Queue<TimeSpan> _recentDelays = new();
    private readonly StatusWatchers<IActorRef> _watchers;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Random _random = new();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly DateTime _startedAt = DateTime.UtcNow;
    private readonly QuotesMetrics _metrics = QuotesMetrics.For(Context.System);
    private readonly IMaterializer _materializer = QuotesMaterializer.For(Context.System);
    private readonly FrameFaults _faults;
    private readonly Func<DateTimeOffset, string> _marketState;
    private UpstreamFence _fence = null!;
    private bool _tookOver;
    private DateTime? _healthySince;
    private UpstreamConnection? _connection;
    private bool _authenticated;
    private int _generation;
    private int _attempt;
    private int _connectionsOpened;
    private DateTime _authenticatedAt;
    private long _malformed;
    private long _conflated;
    private DateTime _malformedLoggedAt;
    private DateTime _capacityLoggedAt;
    /// <summary>Symbols refused past the cap, and when each was last logged: each at most once a minute. Pruned by the sweep.</summary>
    private readonly Dictionary<string, DateTime> _overCapLogged = new(StringComparer.Ordinal);
    private string _state = UpstreamStates.Connecting;
    private string _reason = "starting";
    /// <summary>The last connection's <c>connected</c> status said <c>"simulated":true</c>; kept until another connection's says otherwise.</summary>
    private bool _simulated;

    /// <param name="marketState">The market's state at a time (<see cref="MarketCalendar.StateAt"/> unless a spec says otherwise).</param>
    public UpstreamActor(PolygonOptions polygon, QuotesSettings settings, IRequiredActor<SymbolActor> region, SnapshotBatcher snapshots,
        Func<DateTimeOffset, string>? marketState = null)
    {
        _marketState = marketState ?? MarketCalendar.StateAt;
        _polygon = polygon;
        _settings = settings;
        _region = region.ActorRef;
        _routing = new AggregateRouting(Context.System, _region, ActorRegistry.For(Context.System).TryGet<SymbolInbox>(out var inbox) ? inbox : null);
        _refill = new UpstreamRefill(snapshots, _region, settings.LeaseDuration);
        _subscriptions = new SubscriptionSet(settings.LeaseDuration, settings.UpstreamLinger, polygon.MaxSymbols);
        _watchers = new StatusWatchers<IActorRef>(settings.LeaseDuration);
        _watchers.Announce(_state, _simulated);
        var (log, self) = (_log, Self);
        _faults = new FrameFaults(
            (stage, e, count) => log.Warning("Upstream stage {Stage} skipped a frame that threw {Error}: {Message} ({Count} so far); the feed goes on",
                stage, e.GetType().Name, e.Message, count),
            counted: () => self.Tell(new UpstreamConnection.Malformed(0, 1)));

        Become(Waiting);
    }

    // --- States. Each first drops what an earlier connection or attempt still says (Superseded), then takes what it
    // expects, then everything every state handles (Common).

    /// <summary>
    /// No connection: waiting for the next attempt (after the backoff, the cooldown after <c>max_connections</c>, the slow
    /// retry after <c>auth_failed</c>), for the cluster to settle after a freeze, or for good (down).
    /// </summary>
    private void Waiting()
    {
        Superseded();
        Receive<Connect>(_ => OnConnect());
        Common();
    }

    /// <summary>The socket is being opened. Its first statuses (<c>connected</c>) and its end may come before it is handed over.</summary>
    private void Connecting()
    {
        Superseded();
        Receive<Opened>(OnOpened);
        Receive<OpenFailed>(f => Reconnect($"connect failed: {f.Reason}"));
        Receive<UpstreamConnection.StatusReceived>(s => OnStatus(s.Status));
        Receive<UpstreamConnection.Closed>(OnClosed);
        Common();
    }

    /// <summary>Open, <c>auth</c> sent: Polygon must answer within <c>Quotes:ConnectTimeout</c>.</summary>
    private void Authenticating()
    {
        Superseded();
        Receive<UpstreamConnection.StatusReceived>(s => OnStatus(s.Status));
        Receive<UpstreamConnection.Closed>(OnClosed);
        Receive<AuthDeadline>(_ => Reconnect("no auth result in time"));
        Common();
    }

    /// <summary>Authenticated: wanted symbols are subscribed; after <c>Quotes:HealthyAfter</c> the backoff starts over.</summary>
    private void Connected()
    {
        Superseded();
        Receive<UpstreamConnection.StatusReceived>(s => OnStatus(s.Status));
        Receive<UpstreamConnection.Closed>(OnClosed);
        Receive<Healthy>(_ => _attempt = 0);
        Common();
    }

    /// <summary>What a connection or attempt that was let go still says: only a socket that opened late needs closing.</summary>
    private void Superseded()
    {
        Receive<Opened>(o => o.Connection.Generation != _generation, o => _ = o.Connection.DisposeAsync().AsTask());
        Receive<OpenFailed>(f => f.Generation != _generation, _ => { });
        Receive<UpstreamConnection.StatusReceived>(m => m.Generation != _generation, _ => { });
        Receive<UpstreamConnection.Closed>(m => m.Generation != _generation, _ => { });
        Receive<AuthDeadline>(d => d.Generation != _generation, _ => { });
        Receive<Healthy>(h => h.Generation != _generation, _ => { });
    }

    /// <summary>Wants, admissions, reports, watchers, the sweep, the fence and the cluster: the same in every state.</summary>
    private void Common()
    {
        Receive<UpstreamProtocol.Want>(w =>
        {
            _routing.Note(w.Symbol, Sender);
            OnWants([w.Symbol]);
        });
        Receive<UpstreamProtocol.WantBatch>(b =>
        {
            foreach (var symbol in b.Symbols) _routing.Note(symbol, Sender);
            OnWants(b.Symbols);
        });
        Receive<UpstreamProtocol.Unwant>(u => _subscriptions.Release(u.Symbol, DateTime.UtcNow));
        Receive<UpstreamProtocol.Admit>(OnAdmit);
        Receive<UpstreamProtocol.GetStreamed>(g =>
        {
            var now = DateTime.UtcNow;
            Sender.Tell(new UpstreamProtocol.Streamed(g.Symbols.Where(s => _subscriptions.IsWanted(s, now)).ToList()));
        });
        Receive<UpstreamProtocol.WatchStatus>(w => OnWatch(w.Hub));
        Receive<UpstreamProtocol.HubWants>(OnHubWants);
        Receive<UpstreamProtocol.GetReport>(_ => Sender.Tell(new UpstreamProtocol.Report(_state, _reason,
            _subscriptions.Wanted(DateTime.UtcNow).Order().ToList(), _subscriptions.Subscribed.Order().ToList(), _connectionsOpened,
            _attempt, _recentDelays.ToList(), _malformed, Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString(),
            _subscriptions.Max, _overCapLogged.Count, _conflated)));
        Receive<UpstreamConnection.Malformed>(OnMalformed);
        Receive<UpstreamConnection.Conflated>(c => _conflated += c.Count);
        Receive<UpstreamRefill.Done>(r => _log.Info("Refreshed {Refreshed} symbol(s) from REST snapshots after connecting ({Failed} without one)", r.Refreshed, r.Failed));
        Receive<Flush>(_ => SubscribePending());
        Receive<Sweep>(_ => OnSweep());
        Receive<Frozen>(OnFrozen);
        Receive<CheckFence>(_ => OnCheckFence());
        Receive<UpstreamProtocol.HandOver>(_ => OnHandOver());
        Receive<ClusterEvent.MemberDowned>(d =>
        {
            if (d.Member.Address == _cluster.SelfAddress) Retire("this node was downed");
            else _routing.Forget(d.Member.Address);
        });
        Receive<SelfRemoved>(_ => Retire("this node was removed from the cluster"));
        // Aggregates for a node that is gone or cannot be reached go through the region (which buffers them while the
        // node's shards move) until the entities' wants name their new home.
        Receive<ClusterEvent.UnreachableMember>(u => _routing.Forget(u.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(r => _routing.Forget(r.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        // Lifecycle messages the current state does not expect (a deadline after the answer came, a timer after a hand-over) mean nothing.
        Receive<Opened>(o => _ = o.Connection.DisposeAsync().AsTask());
        Receive<Connect>(_ => { });
        Receive<OpenFailed>(_ => { });
        Receive<AuthDeadline>(_ => { });
        Receive<Healthy>(_ => { });
        Receive<UpstreamConnection.StatusReceived>(_ => { });
        Receive<UpstreamConnection.Closed>(_ => { });
    }


    public ITimerScheduler Timers { get; set; } = null!;

    private void OnConnect()
    {
        if (_fence.IsTripped) return; // re-armed (and reconnected) by the fence check, or never again
        if (string.IsNullOrEmpty(_polygon.ApiKey))
        {
            SetState(UpstreamStates.Down, "no Polygon API key configured");
            return;
        }
        var generation = ++_generation;
        var uri = _polygon.StocksSocketUri();
        _log.Info("Connecting upstream to {Uri} (attempt {Attempt})", uri, _attempt + 1);
        UpstreamConnection.OpenAsync(uri, generation, Self, _routing, _settings, _fence, _metrics, _faults, _materializer).PipeTo(Self,
            success: c => new Opened(c),
            failure: e => new OpenFailed(generation, e.GetBaseException().Message));
        Become(Connecting);
    }

    private void OnOpened(Opened opened)
    {
        _connection = opened.Connection;
        _fence.Guard(opened.Connection.Abort); // a trip or a close cuts this socket at once
        _connectionsOpened++;
        _connection.Send(SubscribeBatches.Auth(_polygon.ApiKey!));
        Timers.StartSingleTimer("auth-deadline", new AuthDeadline(_generation), _settings.ConnectTimeout);
        Become(Authenticating);
    }

    private void OnStatus(PolygonStatusEvent status)
    {
        switch (status.Status)
        {
            case "auth_success":
                _authenticated = true;
                _authenticatedAt = DateTime.UtcNow;
                SetState(UpstreamStates.Connected, "authenticated");
                Become(Connected);
                Timers.StartSingleTimer("healthy", new Healthy(_generation), _settings.HealthyAfter);
                SyncSubscriptions();
                break;
            case "auth_failed":
                _log.Error("Polygon rejected the API key (auth_failed: {Message}). Check Polygon:ApiKey / POLYGON_API_KEY and the plan's WebSocket access; retrying in {Delay}",
                    status.Message, _settings.AuthRetry);
                SetState(UpstreamStates.Unauthorized, "Polygon rejected the API key (auth_failed)");
                Drop(_settings.AuthRetry);
                break;
            case "max_connections":
                Evicted("max_connections");
                break;
            case "connected":
                OnConnected(status.Simulated);
                break;
            case "success":
                break;
            default:
                _log.Warning("Upstream status {Status}: {Message}", status.Status, status.Message);
                break;
        }
    }

    /// <summary>
    /// A simulator says so in its <c>connected</c> status, which real Polygon never does: from then on every node reports the
    /// feed as <c>simulator</c>, whatever <c>Polygon:Feed</c> says, until a connection to a real provider. Under
    /// <c>Polygon:Required</c> the connection is dropped before anything is subscribed and the upstream is down.
    /// </summary>
    private void OnConnected(bool simulated)
    {
        var uri = _polygon.StocksSocketUri();
        if (simulated != _simulated)
        {
            const string Found = "The upstream at {Uri} turned out to be a SIMULATOR (its connected status says simulated): prices are simulated, " +
                                 "not market data; every node now reports feed simulator";
            const string Gone = "The upstream at {Uri} is no longer a simulator: every node reports feed {Feed} again";
            // Loud only when it is news: a node configured for a simulator (or on its built-in one) already says so everywhere.
            var news = _polygon.Feed != NodeStatus.SimulatorFeed;
            if (simulated && news) _log.Warning(Found, uri);
            else if (simulated) _log.Info(Found, uri);
            else if (news) _log.Warning(Gone, uri, _polygon.Feed);
            else _log.Info(Gone, uri, _polygon.Feed);
        }
        _simulated = simulated;
        if (!simulated || !_polygon.Required) return;
        _log.Error("Polygon:Required is set and the upstream at {Uri} is a simulator: connection dropped, nothing subscribed; retrying in {Delay}",
            uri, _settings.AuthRetry);
        SetState(UpstreamStates.Down, "the upstream is a simulator and Polygon:Required forbids simulated prices");
        Drop(_settings.AuthRetry);
    }

    private void OnClosed(UpstreamConnection.Closed closed)
    {
        // Polygon evicts the extra connection of an account right after it authenticated, sometimes without saying so:
        // a close handshake (not a network drop) that soon after auth_success is taken for an eviction.
        if (_authenticated && closed.CloseStatus is not null && DateTime.UtcNow - _authenticatedAt < _settings.EvictionWindow)
            Evicted($"{closed.Reason} right after auth_success");
        else Reconnect(closed.Reason);
    }

    private void Evicted(string how)
    {
        _metrics.UpstreamEvicted();
        if (_tookOver && DateTime.UtcNow - _startedAt < _settings.EvictionCooldown)
        {
            _log.Warning("Polygon evicted the upstream connection ({How}) just after this node took the upstream over: the previous " +
                         "holder's connection is probably still open (a frozen node). Retrying in {Delay}", how, TakeoverRetry);
            Reconnect("evicted while the previous holder's connection was still open", TakeoverRetry);
            return;
        }
        _log.Warning("Polygon evicted the upstream connection ({How}): another process is using the same Polygon key. " +
                     "Only one connection per account is allowed; stop the other process or use another key. Waiting {Cooldown} before reconnecting",
            how, _settings.EvictionCooldown);
        Reconnect("evicted: another connection uses this Polygon key", _settings.EvictionCooldown);
    }

    private void OnMalformed(UpstreamConnection.Malformed malformed)
    {
        _malformed += malformed.Count;
        if (DateTime.UtcNow - _malformedLoggedAt < TimeSpan.FromSeconds(10)) return;
        _malformedLoggedAt = DateTime.UtcNow;
        _log.Warning("Skipped malformed upstream events: {Total} so far", _malformed);
    }

    /// <summary>The one place that knows what the cluster carries: admits new symbols up to <c>Polygon:MaxSymbols</c>.</summary>
    private void OnAdmit(UpstreamProtocol.Admit admit)
    {
        var admitted = _subscriptions.TryAdmit(admit.Symbols, DateTime.UtcNow, out var flush);
        if (flush) ScheduleFlush();
        if (!admitted && DateTime.UtcNow - _capacityLoggedAt > TimeSpan.FromSeconds(10))
        {
            _capacityLoggedAt = DateTime.UtcNow;
            _log.Warning("Refused new symbols: the upstream carries {Carried} of at most {Max} (Polygon:MaxSymbols)", _subscriptions.Carried, _polygon.MaxSymbols);
        }
        Sender.Tell(new UpstreamProtocol.Admission(admitted, _subscriptions.Carried, _polygon.MaxSymbols));
    }

    private void OnWatch(IActorRef hub)
    {
        _watchers.Watch(hub, DateTime.UtcNow);
        hub.Tell(new UpstreamProtocol.StatusChanged(_state, _reason, _simulated));
    }

    /// <summary>A new holder asks every node's hub what its clients hold, so it subscribes everything at once.</summary>
    private void RecallWants()
    {
        var members = Akka.Cluster.Cluster.Get(Context.System).State.Members
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining or MemberStatus.Leaving);
        foreach (var member in members)
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / NodeHub.Name).Tell(UpstreamProtocol.RecallWants.Instance);
    }

    private void OnHubWants(UpstreamProtocol.HubWants wants)
    {
        OnWatch(wants.Hub);
        if (wants.Symbols.Count > 0) _log.Info("{Hub} holds {Count} symbol(s); wanted now", wants.Hub.Path.Address, wants.Symbols.Count);
        OnWants(wants.Symbols);
    }

    /// <summary>
    /// Every want, whatever its path (an entity's lease, a hub's recalled or seeded interest), goes through the capped set:
    /// past <c>Polygon:MaxSymbols</c> a symbol not carried is not subscribed, and said so at most once a minute per symbol.
    /// </summary>
    private void OnWants(IReadOnlyList<string> symbols)
    {
        var now = DateTime.UtcNow;
        var flush = false;
        List<string>? refused = null;
        foreach (var symbol in symbols)
        {
            switch (_subscriptions.Want(symbol, now))
            {
                case SubscriptionSet.WantOutcome.Pending: flush = true; break;
                case SubscriptionSet.WantOutcome.OverCap when !_overCapLogged.TryGetValue(symbol, out var logged) || now - logged >= OverCapLogEvery:
                    _overCapLogged[symbol] = now;
                    (refused ??= []).Add(symbol);
                    break;
            }
        }
        if (flush) ScheduleFlush();
        if (refused is not null)
            _log.Warning("Not subscribing {Count} symbol(s) upstream: the upstream carries {Carried} of at most {Max} (Polygon:MaxSymbols): {Symbols}",
                refused.Count, _subscriptions.Carried, _subscriptions.Max, string.Join(' ', refused.Take(20)) + (refused.Count > 20 ? " …" : ""));
    }

    private void OnSweep()
    {
        var now = DateTime.UtcNow;
        _watchers.Prune(now);
        foreach (var logged in _overCapLogged.Where(l => now - l.Value >= OverCapLogEvery).Select(l => l.Key).ToList()) _overCapLogged.Remove(logged);
        SyncSubscriptions();
        _metrics.UpstreamSymbols(_subscriptions.Subscribed.Count);
        WatchForStaleFeed();
    }

    /// <summary>A connection that looks alive and delivers nothing while the market is open is replaced (<see cref="StaleFeed"/>).</summary>
    private void WatchForStaleFeed()
    {
        if (_connection is not { } connection || !_authenticated) return;
        var silence = connection.SinceLastAggregate;
        if (!StaleFeed.IsStale(_marketState(DateTimeOffset.UtcNow), _subscriptions.Subscribed.Count, silence, _settings.StaleAfter)) return;
        _log.Warning("No upstream aggregate for {Silence:F0} s while the market is open and {Count} symbol(s) are subscribed (Quotes:StaleAfter {StaleAfter}): " +
                     "the feed is stale; reconnecting", silence.TotalSeconds, _subscriptions.Subscribed.Count, _settings.StaleAfter);
        Reconnect($"stale: no aggregate for {silence.TotalSeconds:F0} s while the market is open", state: UpstreamStates.Stale);
    }

    /// <summary>Brings the connection's channels in line with the wants: subscribe the missing, unsubscribe the lingered-out (a full scan: the sweep's).</summary>
    private void SyncSubscriptions()
    {
        var gone = _subscriptions.ToUnsubscribe(DateTime.UtcNow);
        SubscribePending();
        if (_connection is null || !_authenticated || gone.Count == 0 || !SendAll("unsubscribe", gone)) return;
        _subscriptions.MarkUnsubscribed(gone);
        _log.Info("Upstream symbols removed ({Count}): {Symbols}; {Total} subscribed", gone.Count, string.Join(' ', gone), _subscriptions.Subscribed.Count);
    }

    /// <summary>Subscribes what is wanted but not carried yet; costs nothing when nothing is pending.</summary>
    private int SubscribePending()
    {
        if (_connection is null || !_authenticated || _subscriptions.Pending == 0) return 0;
        var now = DateTime.UtcNow;
        var add = _subscriptions.ToSubscribe(now);
        if (add.Count == 0 || !SendAll("subscribe", add)) return 0;
        _subscriptions.MarkSubscribed(add);
        if (_refill.Covers(_authenticatedAt, now)) _refill.RefillAsync(add).PipeTo(Self);
        _log.Info("Upstream symbols added ({Count}): {Symbols}; {Total} subscribed", add.Count, string.Join(' ', add), _subscriptions.Subscribed.Count);
        return add.Count;
    }

    private bool SendAll(string action, IReadOnlyList<string> symbols) =>
        SubscribeBatches.Build(action, symbols).All(message => _connection!.Send(message));

    private void ScheduleFlush()
    {
        // Coalesce a burst of wants (a client subscribing to 50 symbols) into one batched subscribe.
        if (!Timers.IsTimerActive("flush")) Timers.StartSingleTimer("flush", Flush.Instance, TimeSpan.FromMilliseconds(20));
    }

    /// <param name="state">What clients are told until the next connection authenticates.</param>
    private void Reconnect(string reason, TimeSpan? cooldown = null, string state = UpstreamStates.Reconnecting)
    {
        var delay = cooldown ?? Backoff.Delay(_attempt, _settings.MinBackoff, _settings.MaxBackoff, _random);
        _attempt++;
        _metrics.UpstreamReconnect();
        _recentDelays.Enqueue(delay);
        if (_recentDelays.Count > 20) _recentDelays.Dequeue();
        SetState(state, reason);
        Drop(delay);
    }

    private void Drop(TimeSpan reconnectAfter)
    {
        _generation++;
        _authenticated = false;
        _subscriptions.ConnectionLost();
        if (_connection is { } old) _ = old.DisposeAsync().AsTask();
        _connection = null;
        _log.Info("Upstream reconnect in {Delay}", reconnectAfter);
        Timers.StartSingleTimer("connect", Connect.Instance, reconnectAfter);
        Become(Waiting);
    }

    /// <summary>
    /// The process was frozen (the fence tripped and already cut the socket). Other nodes may have downed this one and a
    /// new holder may be connected: nothing is sent until the cluster shows every member reachable again for a while.
    /// </summary>
    private void OnFrozen(Frozen frozen)
    {
        _log.Warning("This process was frozen for {Gap}: upstream connection cut without a word; it waits for the cluster to settle", frozen.Gap);
        _healthySince = null;
        Halt($"fenced after a freeze of {frozen.Gap.TotalSeconds:F1} s");
        Timers.StartPeriodicTimer("fence", CheckFence.Instance, TimeSpan.FromMilliseconds(250));
    }

    private void OnCheckFence()
    {
        var state = _cluster.State;
        var healthy = _cluster.SelfMember.Status == MemberStatus.Up && state.Unreachable.Count == 0;
        if (!healthy) { _healthySince = null; return; }
        _healthySince ??= DateTime.UtcNow;
        if (DateTime.UtcNow - _healthySince < FenceSettle) return;
        Timers.Cancel("fence");
        _fence.Rearm();
        _log.Info("Cluster settled after the freeze and this node still holds the upstream: reconnecting");
        Self.Tell(Connect.Instance);
    }

    /// <summary>Downed or removed: the connection is cut at once and never opened again from this node.</summary>
    private void Retire(string why)
    {
        if (_fence.IsTripped && _connection is null && _state == UpstreamStates.Down) return;
        _log.Warning("Upstream connection cut for good: {Why}", why);
        _fence.Close();
        Timers.Cancel("fence");
        Halt(why, UpstreamStates.Down);
    }

    /// <summary>Hand-over to the next holder: the socket is closed (close frame, at most 2 s) before the singleton stops.</summary>
    private void OnHandOver()
    {
        if (_cluster.SelfMember.Status is MemberStatus.Down or MemberStatus.Removed || _fence.IsTripped)
        {
            // Downed (or fenced): another holder may already be connected. Cut, never a polite close that may take 2 s.
            Retire("this node was downed");
            Context.Stop(Self);
            return;
        }
        _log.Info("Handing the upstream over: closing the connection first");
        Timers.CancelAll();
        _generation++;
        var connection = _connection;
        _connection = null;
        (connection?.DisposeAsync().AsTask() ?? Task.CompletedTask).PipeTo(Self, success: () => HandedOver.Instance, failure: _ => HandedOver.Instance);
        Become(HandingOver);
    }

    /// <summary>Waiting for the close to complete; whatever else arrives is for the next holder.</summary>
    private void HandingOver()
    {
        Receive<HandedOver>(_ => Context.Stop(Self));
        ReceiveAny(_ => { });
    }

    /// <summary>Drops the connection without scheduling a reconnect.</summary>
    private void Halt(string reason, string state = UpstreamStates.Reconnecting)
    {
        _generation++;
        _authenticated = false;
        _subscriptions.ConnectionLost();
        // The fence already cut the socket; disposing sends nothing more (no close frame while fenced) and ends its loops.
        if (_connection is { } old) _ = old.DisposeAsync().AsTask();
        _connection = null;
        Timers.Cancel("connect");
        SetState(state, reason);
        Become(Waiting);
    }

    private void SetState(string state, string reason)
    {
        _state = state;
        _reason = reason;
        if (!_watchers.Announce(state, _simulated)) return;
        _log.Info("Upstream {State}: {Reason}", state, reason);
        var message = new UpstreamProtocol.StatusChanged(state, reason, _simulated);
        foreach (var watcher in _watchers.All) watcher.Tell(message);
    }

    protected override void PreStart()
    {
        var self = Self;
        _metrics.HoldsUpstream(true);
        _fence = new UpstreamFence(onTrip: gap => self.Tell(new Frozen(gap))).StartWatch();
        // Other members at start: this holder takes over from another node (hand-over or fail-over), not the first one.
        _tookOver = _cluster.State.Members.Count(m => m.Address != _cluster.SelfAddress) > 0;
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberDowned),
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
        _cluster.RegisterOnMemberRemoved(() => self.Tell(SelfRemoved.Instance));
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, TimeSpan.FromSeconds(1));
        Self.Tell(Connect.Instance);
        RecallWants();
    }

    protected override void PostStop()
    {
        _metrics.HoldsUpstream(false);
        _cluster.Unsubscribe(Self);
        // Stopped without a hand-over (the system shutting down): cut, never close half-way while another holder starts.
        _fence.Close();
        if (_connection is { } connection) _ = connection.DisposeAsync().AsTask();
    }
}

/// <summary>Registers the upstream singleton and its proxy (under <see cref="UpstreamActor"/>).</summary>
public static class UpstreamActorExtensions
{
    public static AkkaConfigurationBuilder AddUpstreamSingleton(this AkkaConfigurationBuilder builder, string role) =>
        builder.AddFanoutDispatcher().WithSingleton<UpstreamActor>("polygon-upstream",
            (_, _, resolver) => resolver.Props<UpstreamActor>().WithDispatcher(FanoutDispatcher.Id),
            new ClusterSingletonOptions { Role = role, BufferSize = 10_000, TerminationMessage = UpstreamProtocol.HandOver.Instance });
}
