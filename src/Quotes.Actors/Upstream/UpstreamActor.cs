using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Pipeline;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The cluster's single Polygon connection (a cluster singleton). Holds the set of wanted symbols as leases from the
/// symbol entities, authenticates, subscribes and unsubscribes in batches, reconnects by the rules of
/// <see cref="ReconnectPolicy"/>, and tells every watching hub when its state changes. Aggregates bypass this actor: the
/// connection's pipeline hands them to the symbol inboxes. Its states, one behaviour each: <see cref="Connecting"/>,
/// <see cref="Authenticating"/>, <see cref="Connected"/>; waiting for the next attempt in <see cref="BackingOff"/> (after a
/// drop), <see cref="CoolingDown"/> (after an eviction) or <see cref="Unauthorized"/> (the slow retry); <see cref="Fenced"/>
/// after a freeze; <see cref="Retired"/> for good; <see cref="HandingOver"/> to the next holder.
/// </summary>
public sealed class UpstreamActor : ReceiveActor, IWithTimers
{
    // Ticks to self: they leave a receive timeout alone and make no dead-letter noise once the actor is gone.
    private sealed class Sweep : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Sweep Instance = new(); }
    private sealed class Flush : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Flush Instance = new(); }
    private sealed record Healthy(int Link) : INotInfluenceReceiveTimeout, IDeadLetterSuppression;
    private sealed record AuthDeadline(int Link) : INotInfluenceReceiveTimeout, IDeadLetterSuppression;
    private sealed record Frozen(TimeSpan Gap);
    private sealed class CheckFence : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly CheckFence Instance = new(); }
    private sealed class HandedOver { public static readonly HandedOver Instance = new(); }

    private readonly PolygonOptions _polygon;
    private readonly QuotesOptions _settings;
    private readonly AggregateRouting _routing;
    private readonly UpstreamRefill _refill;
    private readonly UpstreamWants _wants;
    private readonly SubscriptionSet _subscriptions;
    private readonly StatusWatchers<IActorRef> _watchers;
    private readonly FenceSettle _settle;
    /// <summary>The monotonic origin of the fence checks' clock.</summary>
    private readonly long _created = Stopwatch.GetTimestamp();
    private readonly StaleFeed _stale = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly QuotesMetrics _metrics = QuotesMetrics.For(Context.System);
    private readonly IMaterializer _materializer = QuotesMaterializer.For(Context.System);
    private readonly FrameFaults _faults;
    private UpstreamFeed _feed = null!;
    private readonly Func<DateTimeOffset, string> _marketState;
    private readonly LocalClock _clock;
    private ReconnectPolicy _policy = null!;
    private UpstreamFence _fence = null!;
    /// <summary>The link (connection) granted last; what an earlier one still says is dropped by <see cref="Superseded"/>.</summary>
    private int _link = 1;
    private int _connectionsOpened;
    private DateTime _authenticatedAt;
    private long _malformed;
    private long _conflated;
    private DateTime _malformedLoggedAt;
    private string _state = UpstreamStates.Connecting;
    private string _reason = "starting";
    /// <summary>The last connection's <c>connected</c> status said <c>"simulated":true</c>; kept until another connection's says otherwise.</summary>
    private bool _simulated;

    /// <param name="marketState">The market's state at a time (<see cref="MarketCalendar.StateAt"/> unless a spec says otherwise).</param>
    /// <param name="clock">Times wants, cooldowns and retries (<see cref="LocalClock.System"/> but in specs).</param>
    public UpstreamActor(PolygonOptions polygon, QuotesOptions settings, IRequiredActor<SymbolActor> region, SnapshotBatcher snapshots,
        Func<DateTimeOffset, string>? marketState = null, LocalClock? clock = null)
    {
        _clock = clock ?? LocalClock.System;
        _marketState = marketState ?? MarketCalendar.StateAt;
        _polygon = polygon;
        _settings = settings;
        var inbox = ActorRegistry.For(Context.System).TryGet<SymbolInbox>(out var local) ? local : null;
        _routing = new AggregateRouting(Context.System, region.ActorRef, inbox);
        _refill = new UpstreamRefill(snapshots, region.ActorRef, settings.LeaseDuration);
        _subscriptions = new SubscriptionSet(settings.LeaseDuration, settings.UpstreamLinger, polygon.MaxSymbols);
        _wants = new UpstreamWants(_subscriptions, _log);
        _watchers = new StatusWatchers<IActorRef>(settings.LeaseDuration);
        _watchers.Announce(_state, _simulated);
        _settle = new FenceSettle(_cluster.Settings.FailureDetectorConfig.GetTimeSpan("acceptable-heartbeat-pause", null));
        var (log, self) = (_log, Self);
        _faults = new FrameFaults(
            (stage, e, count) => log.Warning("Upstream stage {Stage} skipped a frame that threw {Error}: {Message} ({Count} so far); the feed goes on",
                stage, e.GetType().Name, e.Message, count),
            counted: () => self.Tell(new UpstreamFeed.Malformed(1)));
        Become(BackingOff); // the first link is granted at start
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // --- States. Each first drops what an earlier attempt or connection still says (Superseded), then takes what it
    // expects, then what every state handles (Common).

    /// <summary>The granted link's socket is being opened.</summary>
    private void Connecting()
    {
        Superseded();
        Receive<UpstreamFeed.Opened>(_ => OnOpened());
        Receive<UpstreamFeed.OpenFailed>(f => Reconnect($"connect failed: {f.Reason}"));
        Receive<UpstreamFeed.StatusReceived>(s => OnStatus(s.Status));
        Receive<UpstreamFeed.Closed>(c => Reconnect(c.Reason));
        Common();
    }

    /// <summary>Open, <c>auth</c> sent: Polygon must answer within <c>Quotes:ConnectTimeout</c>.</summary>
    private void Authenticating()
    {
        Superseded();
        Receive<UpstreamFeed.StatusReceived>(s => OnStatus(s.Status));
        Receive<UpstreamFeed.Closed>(c => Reconnect(c.Reason));
        Receive<AuthDeadline>(_ => Reconnect("no auth result in time"));
        Common();
    }

    /// <summary>Authenticated: wanted symbols are subscribed and the feed is watched; after <c>Quotes:HealthyAfter</c> the backoff starts over.</summary>
    private void Connected()
    {
        Superseded();
        Receive<UpstreamFeed.StatusReceived>(s => OnStatus(s.Status));
        Receive<UpstreamFeed.Closed>(OnClosed);
        Receive<Healthy>(_ => _policy.Healthy());
        Receive<Flush>(_ => Refill(_wants.SubscribePending(Send, _clock.Now)));
        Receive<Sweep>(_ =>
        {
            Refill(_wants.Sync(Send, _clock.Now));
            OnSweep();
            WatchForStaleFeed();
        });
        Common();
    }

    /// <summary>No connection; the feed opens the granted link after the backoff.</summary>
    private void BackingOff() => AwaitingLink();

    /// <summary>No connection; the feed opens the granted link after the cooldown that follows an eviction (<c>max_connections</c>).</summary>
    private void CoolingDown() => AwaitingLink();

    /// <summary>No connection; the slow retry after <c>auth_failed</c> (or a simulator refused under <c>Polygon:Required</c>).</summary>
    private void Unauthorized() => AwaitingLink();

    private void AwaitingLink()
    {
        Superseded();
        Receive<UpstreamFeed.Connecting>(_ =>
        {
            _log.Info("Connecting upstream to {Uri} (attempt {Attempt})", _polygon.StocksSocketUri(), _policy.Attempt + 1);
            Become(Connecting);
        });
        Common();
    }

    /// <summary>The fence tripped after a freeze: no link is granted until the cluster has settled (<see cref="FenceSettle"/>).</summary>
    private void Fenced()
    {
        Superseded();
        Receive<CheckFence>(_ => OnCheckFence());
        Common();
    }

    /// <summary>Downed, removed, or without a key: never connects again.</summary>
    private void Retired()
    {
        Superseded();
        Common();
    }

    /// <summary>Waiting for the close to complete; whatever else arrives is for the next holder.</summary>
    private void HandingOver()
    {
        Receive<HandedOver>(_ => Context.Stop(Self));
        ReceiveAny(_ => { });
    }

    /// <summary>What a link that was let go still says means nothing.</summary>
    private void Superseded()
    {
        Receive<UpstreamFeed.Connecting>(m => m.Link != _link, _ => { });
        Receive<UpstreamFeed.Opened>(m => m.Link != _link, _ => { });
        Receive<UpstreamFeed.OpenFailed>(m => m.Link != _link, _ => { });
        Receive<UpstreamFeed.StatusReceived>(m => m.Link != _link, _ => { });
        Receive<UpstreamFeed.Closed>(m => m.Link != _link, _ => { });
        Receive<AuthDeadline>(m => m.Link != _link, _ => { });
        Receive<Healthy>(m => m.Link != _link, _ => { });
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
        Receive<UpstreamProtocol.Unwant>(u => _subscriptions.Release(u.Symbol, _clock.Now));
        Receive<UpstreamProtocol.Admit>(OnAdmit);
        Receive<UpstreamProtocol.GetStreamed>(g =>
        {
            var now = _clock.Now;
            Sender.Tell(new UpstreamProtocol.Streamed(g.Symbols.Where(s => _subscriptions.IsWanted(s, now)).ToList()));
        });
        Receive<UpstreamProtocol.WatchStatus>(w => OnWatch(w.Hub));
        Receive<UpstreamProtocol.HubWants>(OnHubWants);
        Receive<UpstreamProtocol.GetReport>(_ => Sender.Tell(new UpstreamProtocol.Report(_state, _reason,
            _subscriptions.Wanted(_clock.Now).Order().ToList(), _subscriptions.Subscribed.Order().ToList(), _connectionsOpened,
            _policy.Attempt, _policy.RecentDelays, _malformed, _cluster.SelfAddress.ToString(), _subscriptions.Max, _wants.OverCap, _conflated)));
        Receive<UpstreamFeed.Malformed>(OnMalformed);
        Receive<UpstreamFeed.Conflated>(c => _conflated += c.Count);
        Receive<UpstreamFeed.Ended>(OnFeedEnded);
        Receive<UpstreamRefill.Done>(r => _log.Info("Refreshed {Refreshed} symbol(s) from REST snapshots after connecting ({Failed} without one)", r.Refreshed, r.Failed));
        Receive<Sweep>(_ =>
        {
            _wants.Sweep(_clock.Now);
            OnSweep();
        });
        Receive<Frozen>(OnFrozen);
        Receive<UpstreamProtocol.HandOver>(_ => OnHandOver());
        Receive<ClusterEvent.MemberDowned>(d =>
        {
            if (d.Member.Address == _cluster.SelfAddress) Retire("this node was downed");
            else _routing.Forget(d.Member.Address);
        });
        // Aggregates for a node that is leaving, gone or cannot be reached go through this node's region (which knows where
        // the shards went, and buffers while they move) until the entities' wants name their new home. A leaving node's
        // inbox may stop before the node is removed: a batch asked of it would hold the whole feed back for the ask's timeout.
        Receive<ClusterEvent.MemberLeft>(l => _routing.Forget(l.Member.Address));
        Receive<ClusterEvent.MemberExited>(e => _routing.Forget(e.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(u => _routing.Forget(u.Member.Address));
        // This node's own removal comes last, when its cluster stops (after a leave or a downing it did not hear of).
        // Through the subscription, not Cluster.RegisterOnMemberRemoved: that adds a listener actor per call, for the
        // node's lifetime, and PreStart runs again on every restart of this actor.
        Receive<ClusterEvent.MemberRemoved>(r =>
        {
            if (r.Member.UniqueAddress == _cluster.SelfUniqueAddress) Retire("this node was removed from the cluster");
            else _routing.Forget(r.Member.Address);
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        // What the current state does not expect (a deadline after the answer came, a flush while not connected, a link
        // that opened while fenced) means nothing.
        Receive<UpstreamFeed.Connecting>(_ => { });
        Receive<UpstreamFeed.Opened>(_ => { });
        Receive<UpstreamFeed.OpenFailed>(_ => { });
        Receive<UpstreamFeed.StatusReceived>(_ => { });
        Receive<UpstreamFeed.Closed>(_ => { });
        Receive<AuthDeadline>(_ => { });
        Receive<Healthy>(_ => { });
        Receive<Flush>(_ => { });
        Receive<CheckFence>(_ => { });
    }

    // --- Connecting and what the connection says.

    private void OnOpened()
    {
        _connectionsOpened++;
        Timers.StartSingleTimer("auth-deadline", new AuthDeadline(_link), _settings.ConnectTimeout);
        Become(Authenticating);
    }

    private void OnStatus(PolygonStatusEvent status)
    {
        switch (status.Status)
        {
            case PolygonStatusWords.AuthSuccess:
                _authenticatedAt = _clock.Now;
                SetState(UpstreamStates.Connected, "authenticated");
                Become(Connected);
                Timers.StartSingleTimer("healthy", new Healthy(_link), _settings.HealthyAfter);
                Refill(_wants.Sync(Send, _clock.Now));
                break;
            case PolygonStatusWords.AuthFailed:
                _log.Error("Polygon rejected the API key (auth_failed: {Message}). Check Polygon:ApiKey / POLYGON_API_KEY and the plan's WebSocket access; retrying in {Delay}",
                    status.Message, _settings.AuthRetry);
                SetState(UpstreamStates.Unauthorized, "Polygon rejected the API key (auth_failed)");
                Drop(_policy.AfterRefusal(), Unauthorized);
                break;
            case PolygonStatusWords.MaxConnections:
                Evicted(PolygonStatusWords.MaxConnections);
                break;
            case PolygonStatusWords.Connected:
                OnConnected(status.Simulated);
                break;
            case PolygonStatusWords.Success:
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
        Drop(_policy.AfterRefusal(), Unauthorized);
    }

    /// <summary>The authenticated connection ended: a close handshake soon after <c>auth_success</c> is an eviction.</summary>
    private void OnClosed(UpstreamFeed.Closed closed)
    {
        if (_policy.IsSilentEviction(closed.CloseStatus, _authenticatedAt, _clock.Now)) Evicted($"{closed.Reason} right after auth_success");
        else Reconnect(closed.Reason);
    }

    private void Evicted(string how)
    {
        _metrics.UpstreamEvicted();
        var delay = _policy.AfterEviction(_clock.Now, out var takeover);
        if (takeover)
            _log.Warning("Polygon evicted the upstream connection ({How}) just after this node took the upstream over: the previous " +
                         "holder's connection is probably still open (a frozen node). Retrying in {Delay}", how, delay);
        else
            _log.Warning("Polygon evicted the upstream connection ({How}): another process is using the same Polygon key. " +
                         "Only one connection per account is allowed; stop the other process or use another key. Waiting {Cooldown} before reconnecting",
                how, delay);
        _metrics.UpstreamReconnect();
        SetState(UpstreamStates.Reconnecting, takeover ? "evicted while the previous holder's connection was still open"
            : "evicted: another connection uses this Polygon key");
        Drop(delay, CoolingDown);
    }

    /// <param name="state">What clients are told until the next connection authenticates.</param>
    private void Reconnect(string reason, string state = UpstreamStates.Reconnecting)
    {
        var delay = _policy.AfterDrop();
        _metrics.UpstreamReconnect();
        SetState(state, reason);
        Drop(delay, BackingOff);
    }

    /// <summary>Lets the link go and grants the next one after <paramref name="reconnectAfter"/>, waiting for it in <paramref name="next"/>.</summary>
    private void Drop(TimeSpan reconnectAfter, Action next)
    {
        LetGo();
        _log.Info("Upstream reconnect in {Delay}", reconnectAfter);
        _feed.ConnectAfter(_link, reconnectAfter);
        Become(next);
    }

    /// <summary>Whatever the current link says from now on is superseded; its socket is closed (or, fenced, cut).</summary>
    private void LetGo()
    {
        _feed.Drop(_link);
        _link++;
        _subscriptions.ConnectionLost();
    }

    /// <summary>The graph itself ended (a stage failed past its supervision): a new one takes its place.</summary>
    private void OnFeedEnded(UpstreamFeed.Ended ended)
    {
        _log.Error("The upstream pipeline ended: {Reason}; starting it afresh", ended.Reason);
        _feed = NewFeed();
        if (!_fence.IsTripped) Reconnect(ended.Reason);
    }

    private UpstreamFeed NewFeed() => new(_polygon.StocksSocketUri(), _polygon.ApiKey ?? "", Self, _routing, _settings, _fence, _metrics, _faults, _materializer,
        _polygon.MaxFrameBytes);

    private void OnMalformed(UpstreamFeed.Malformed malformed)
    {
        _malformed += malformed.Count;
        if (_clock.Now - _malformedLoggedAt < TimeSpan.FromSeconds(10)) return;
        _malformedLoggedAt = _clock.Now;
        _log.Warning("Skipped malformed upstream events: {Total} so far", _malformed);
    }

    // --- Wants and subscriptions.

    private void OnAdmit(UpstreamProtocol.Admit admit)
    {
        Sender.Tell(_wants.Admit(admit.Symbols, _clock.Now, out var pending));
        if (pending) ScheduleFlush();
    }

    private void OnWatch(IActorRef hub)
    {
        _watchers.Watch(hub, _clock.Now);
        hub.Tell(new UpstreamProtocol.StatusChanged(_state, _reason, _simulated));
    }

    /// <summary>A new holder asks every node's hub what its clients hold, so it subscribes everything at once.</summary>
    private void RecallWants()
    {
        var members = _cluster.State.Members
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

    private void OnWants(IReadOnlyList<string> symbols)
    {
        if (_wants.Want(symbols, _clock.Now)) ScheduleFlush();
    }

    private void OnSweep()
    {
        var now = _clock.Now;
        _watchers.Prune(now);
        _routing.Homes.Retain(_subscriptions.Carries);
        _metrics.UpstreamSymbols(_subscriptions.Subscribed.Count);
    }

    /// <summary>
    /// A connection that looks alive and delivers nothing while the market is open is replaced (<see cref="StaleFeed"/>:
    /// after replacements in a row with nothing between, each waits twice as long).
    /// </summary>
    private void WatchForStaleFeed()
    {
        var frames = _feed.AggregateFrames;
        if (!_stale.Check(_marketState(DateTimeOffset.UtcNow), _subscriptions.Subscribed.Count, _feed.SinceLastAggregate, frames, _settings.StaleAfter,
                _clock.Now, out var silence)) return;
        _stale.Replaced(frames);
        var next = _stale.Wait(_settings.StaleAfter);
        _log.Warning("No upstream aggregate for {Silence:F0} s while the market is open and {Count} symbol(s) are subscribed (Quotes:StaleAfter {StaleAfter}): " +
                     "the feed is stale; reconnecting ({InARow} in a row; the next connection is given {Next:F0} s)",
            silence.TotalSeconds, _subscriptions.Subscribed.Count, _settings.StaleAfter, _stale.InARow, next.TotalSeconds);
        Reconnect($"stale: no aggregate for {silence.TotalSeconds:F0} s while the market is open", UpstreamStates.Stale);
    }

    /// <summary>Symbols subscribed within one lease of <c>auth_success</c> are read fresh from REST snapshots (<see cref="UpstreamRefill"/>).</summary>
    private void Refill(IReadOnlyList<string> added)
    {
        if (added.Count > 0 && _refill.Covers(_authenticatedAt, _clock.Now)) _refill.RefillAsync(added).PipeTo(Self);
    }

    /// <summary>Queues an action for the current link: sent on it once it is open, never on a later one.</summary>
    private bool Send(string action) => _feed.Send(_link, action);

    private void ScheduleFlush()
    {
        // Coalesce a burst of wants (a client subscribing to 50 symbols) into one batched subscribe.
        if (!Timers.IsTimerActive("flush")) Timers.StartSingleTimer("flush", Flush.Instance, TimeSpan.FromMilliseconds(20));
    }

    // --- The fence, retirement and hand-over.

    /// <summary>
    /// The process was frozen (the fence tripped and already cut the socket). Other nodes may have downed this one and a
    /// new holder may be connected: nothing is sent until the cluster has settled (<see cref="FenceSettle"/>: how long
    /// depends on the freeze and on whether this node is alone).
    /// </summary>
    private void OnFrozen(Frozen frozen)
    {
        _log.Warning("This process was frozen for {Gap}: upstream connection cut without a word; it waits for the cluster to settle", frozen.Gap);
        _settle.Reset(frozen.Gap, Stopwatch.GetElapsedTime(_created));
        Halt($"fenced after a freeze of {frozen.Gap.TotalSeconds:F1} s", UpstreamStates.Reconnecting, Fenced);
        Timers.StartPeriodicTimer("fence", CheckFence.Instance, TimeSpan.FromMilliseconds(250));
    }

    private void OnCheckFence()
    {
        var state = _cluster.State;
        var healthy = _cluster.SelfMember.Status == MemberStatus.Up && state.Unreachable.Count == 0;
        var alone = state.Members.All(m => m.UniqueAddress.Equals(_cluster.SelfUniqueAddress));
        if (!_settle.Settled(healthy, alone, Stopwatch.GetElapsedTime(_created))) return;
        Timers.Cancel("fence");
        _fence.Rearm();
        _log.Info("Cluster settled after the freeze and this node still holds the upstream: reconnecting");
        _feed.ConnectAfter(_link, TimeSpan.Zero);
        Become(BackingOff);
    }

    /// <summary>Downed or removed: the connection is cut at once and never opened again from this node.</summary>
    private void Retire(string why)
    {
        if (_fence.IsTripped && _state == UpstreamStates.Down) return;
        _log.Warning("Upstream connection cut for good: {Why}", why);
        _fence.Close();
        Timers.Cancel("fence");
        Halt(why, UpstreamStates.Down, Retired);
    }

    /// <summary>Hand-over to the next holder: the socket is closed (close frame, at most 2 s) before the singleton stops.</summary>
    private void OnHandOver()
    {
        // A freeze the watch thread has not beaten through yet (the hand-over can be the first thing a resumed process
        // reads) trips the fence now, cutting the socket, before anything is sent on it.
        _fence.Beat();
        var downed = _cluster.SelfMember.Status is MemberStatus.Down or MemberStatus.Removed;
        if (downed || _fence.IsTripped)
        {
            // Downed (or fenced): another holder may already be connected. Cut, never a polite close that may take 2 s.
            Retire(downed ? "this node was downed" : "this process was frozen: another holder may already be connected");
            Context.Stop(Self);
            return;
        }
        _log.Info("Handing the upstream over: closing the connection first");
        Timers.CancelAll();
        _feed.StopAsync().PipeTo(Self, success: () => HandedOver.Instance, failure: _ => HandedOver.Instance);
        Become(HandingOver);
    }

    /// <summary>Lets the link go without granting another (the fence already cut the socket: closing sends nothing more).</summary>
    private void Halt(string reason, string state, Action next)
    {
        LetGo();
        SetState(state, reason);
        Become(next);
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
        _policy = new ReconnectPolicy(_settings, tookOver: _cluster.State.Members.Any(m => m.Address != _cluster.SelfAddress), _clock.Now);
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberDowned),
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.MemberLeft), typeof(ClusterEvent.MemberExited));
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, TimeSpan.FromSeconds(1));
        _feed = NewFeed();
        if (_cluster.IsTerminated) // removed before this start: the subscription will not say so
        {
            SetState(UpstreamStates.Down, "this node was removed from the cluster");
            Become(Retired);
        }
        else if (string.IsNullOrEmpty(_polygon.ApiKey))
        {
            SetState(UpstreamStates.Down, "no Polygon API key configured");
            Become(Retired);
        }
        else _feed.ConnectAfter(_link, TimeSpan.Zero);
        RecallWants();
    }

    protected override void PostStop()
    {
        _metrics.HoldsUpstream(false);
        _cluster.Unsubscribe(Self);
        // Stopped without a hand-over (the system shutting down): cut, never close half-way while another holder starts.
        _fence.Close();
        _ = _feed.StopAsync();
    }
}

/// <summary>Registers the upstream singleton and its proxy (under <see cref="UpstreamActor"/>).</summary>
public static class UpstreamActorExtensions
{
    /// <summary>The singleton's name: its manager is <c>/user/polygon-upstream</c>, the holder its child of the same name.</summary>
    public const string Name = "polygon-upstream";

    public static AkkaConfigurationBuilder AddUpstreamSingleton(this AkkaConfigurationBuilder builder, string role) =>
        builder.AddFanoutDispatcher().WithSingleton<UpstreamActor>(Name,
            (_, _, resolver) => resolver.Props<UpstreamActor>().WithDispatcher(FanoutDispatcher.Id),
            new ClusterSingletonOptions { Role = role, BufferSize = 10_000, TerminationMessage = UpstreamProtocol.HandOver.Instance });
}
