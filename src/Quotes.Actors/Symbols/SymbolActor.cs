using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Messages;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Actors.Symbols;

/// <summary>
/// The sharded entity for one symbol: applies upstream aggregates to its <see cref="QuoteState"/>, sends each new quote once
/// to every node hub that holds a live interest lease, and keeps the upstream's want for the symbol alive while it has any.
/// <para>
/// Each entity is one incarnation of the symbol: it moves on every rebalance, crash and restart. A new one starts empty
/// and adopts the latest quote each hub hands it with its interest, so <c>seq</c> and the day's state carry on; until a
/// hub has seeded it, a hub without history subscribed, or one renewal period has passed, it does not answer quote reads,
/// which then fall back to the provider, so nobody reads a narrower day than clients already saw. The day so far (range, volume, previous close)
/// comes from the seeds; the provider's snapshot is read only when no hub knew the symbol (a new subscription, a
/// symbol whose clients all moved), when the seeds are from an earlier day, on a new trading day, or while the previous
/// close is unknown, at most once a minute.
/// </para>
/// </summary>
public sealed class SymbolActor : ReceiveActor, IWithTimers
{
    // A tick to self: it leaves a receive timeout alone and makes no dead-letter noise once the actor is gone.
    private sealed class Renew : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Renew Instance = new(); }

    private sealed class ReleaseFirst : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly ReleaseFirst Instance = new(); }

    /// <summary>How long after a provider snapshot read (failed or not) the entity may read it again.</summary>
    private static readonly TimeSpan ProviderDayRetry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest a new subscription's first price waits for the provider's day (previous close, range, volume): a
    /// first quote without them would show a change against the day's open, then jump once the day came in.
    /// </summary>
    public static readonly TimeSpan FirstQuoteWait = TimeSpan.FromSeconds(1);

    private readonly string _symbol;
    private readonly IActorRef _upstream;
    private readonly IActorRef _batcher;
    private readonly SnapshotBatcher _snapshots;
    private readonly QuotesOptions _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Each interested hub: when its lease ends, and whether it wants the upstream event with each update.</summary>
    private readonly Dictionary<IActorRef, (DateTime Until, bool WantsRaw)> _hubs = new();
    /// <summary>
    /// Hubs that released their lease, until the lease would have ended: a renewal of theirs still on its way must not bring
    /// it back. A hub renews through its node's inbox and releases through the region, so a renewal sent just before the
    /// release can arrive after it; the lease would then hold the symbol upstream until it lapsed.
    /// </summary>
    private readonly Dictionary<IActorRef, DateTime> _released = new();
    private QuoteState _state;
    private readonly LocalClock _clock;
    private DateTime _idleSince;
    private bool _settled;
    private bool _dayKnown;
    private bool _loadingDay;
    private DateTime _dayAskedAt = DateTime.MinValue;
    /// <summary>The provider's day was last asked before this entity had a price.</summary>
    private bool _askedBeforePrice;
    /// <summary>The provider listed no such symbol before its first price: the first price asks again (<see cref="AskAgainNowListed"/>).</summary>
    private bool _unlistedBeforePrice;
    private long _warnedNoCloseFor = -1;
    /// <summary>A new subscription's first price, not yet published: it waits for the provider's day (at most <see cref="FirstQuoteWait"/>).</summary>
    private bool _holdingFirst;
    private byte[]? _heldRaw;

    /// <param name="clock">Times the hubs' leases and the retries (<see cref="LocalClock.System"/> but in specs).</param>
    public SymbolActor(string symbol, IActorRef upstream, IActorRef batcher, SnapshotBatcher snapshots, QuotesOptions settings, LocalClock? clock = null)
    {
        _clock = clock ?? LocalClock.System;
        _idleSince = _clock.Now;
        _symbol = symbol;
        _upstream = upstream;
        _batcher = batcher;
        _snapshots = snapshots;
        _settings = settings;
        _state = new QuoteState(symbol);

        Receive<SymbolProtocol.Aggregate>(a => Apply(a.Bar));
        Receive<SymbolProtocol.Refresh>(r => TakeProviderDay(r.Bar, r.PreviousClose));
        Receive<SymbolProtocol.Interest>(OnInterest);
        Receive<SymbolProtocol.ReleaseInterest>(OnRelease);
        Receive<SymbolProtocol.GetQuote>(_ => Sender.Tell(new SymbolProtocol.CurrentQuote(_symbol, _settled ? _state.ToQuote() : null)));
        Receive<SymbolProtocol.GetInterest>(_ => Sender.Tell(new SymbolProtocol.InterestReport(_symbol, _hubs.Keys.Select(h => h.Path.ToString()).Order().ToList())));
        Receive<ProviderDay>(OnProviderDay);
        Receive<Renew>(_ => OnRenew());
        Receive<ReleaseFirst>(_ => ReleaseHeld());
        Receive<Terminated>(t => Forget(t.ActorRef));
        Receive<SymbolProtocol.Stop>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Apply(AggregateBar bar)
    {
        var hadPrice = _state.HasPrice;
        var next = _state.Apply(bar);
        if (ReferenceEquals(next, _state)) return;
        var newDay = Become(next);
        if (!hadPrice && _unlistedBeforePrice && !_loadingDay && _hubs.Count > 0) AskAgainNowListed();
        if (_holdingFirst || (!hadPrice && _loadingDay && _hubs.Count > 0))
        {
            // Nobody has seen a price yet and the provider's day is on its way: the first quote waits for it.
            if (!_holdingFirst) Timers.StartSingleTimer(nameof(ReleaseFirst), ReleaseFirst.Instance, FirstQuoteWait);
            (_holdingFirst, _heldRaw) = (true, bar.Raw);
            return;
        }
        Publish(bar.Raw, newEvent: true);
        // Entities that roll over on the same upstream frame share one provider request.
        if (newDay && _hubs.Count > 0) LoadDayIfUnknown();
    }

    /// <summary>
    /// The provider's snapshot (read here, or by the upstream after it reconnected): a newer price is an update; an older
    /// one still widens the day's range and volume. It only ever moves the state forward.
    /// </summary>
    private void TakeProviderDay(AggregateBar day, decimal? previousClose)
    {
        // The day first: a snapshot of a new trading day starts it afresh, which forgets the previous close.
        var next = !_state.HasPrice || day.End > _state.Timestamp ? _state.ApplyDay(day) : _state.WidenDay(day);
        if (previousClose is { } close && next.PreviousClose is null && MarketCalendar.DayEndMs(day.End) == next.DayEndsAt)
            next = next.WithPreviousClose(close);
        // A snapshot older than the price still changes what clients read (previous close, the day's range): an update,
        // unless nobody has seen that price yet (a held first quote: it goes out with the day, as it is).
        if (!_holdingFirst && next.Seq == _state.Seq && next.HasPrice && next.ToQuote() != _state.ToQuote()) next = next.AsUpdate();
        var updated = next.Seq != _state.Seq;
        Become(next);
        _dayKnown = _state.PreviousClose is not null;
        if (_holdingFirst) ReleaseHeld();
        else if (updated) Publish(null, newEvent: false);
    }

    /// <summary>Publishes the held first quote (with the provider's day, if it came), and holds nothing more.</summary>
    private void ReleaseHeld()
    {
        if (!_holdingFirst) return;
        Timers.Cancel(nameof(ReleaseFirst));
        var raw = _heldRaw;
        (_holdingFirst, _heldRaw) = (false, null);
        Publish(raw, newEvent: true);
    }

    /// <summary>Takes <paramref name="next"/> as the state; true when it starts a new trading day (whose day must be loaded).</summary>
    private bool Become(QuoteState next)
    {
        var newDay = next.DayEndsAt != _state.DayEndsAt && _state.HasPrice;
        if (newDay) (_dayKnown, _dayAskedAt) = (false, DateTime.MinValue);
        _state = next;
        return newDay;
    }

    /// <param name="raw">the upstream event behind the update, for hubs with Polygon-protocol clients; null if none</param>
    /// <param name="newEvent">
    /// false when no new upstream event caused the update (the provider's day, an adopted seed): hubs then leave it out of
    /// the delivery latency, since its timestamp is an older event's
    /// </param>
    private void Publish(byte[]? raw, bool newEvent)
    {
        if (_hubs.Count == 0) return;
        // The raw event travels only to hubs with Polygon-protocol clients on the symbol; the others get the same update
        // without it. This node's hub is told at once; hubs on other nodes through the batcher, a burst in one message each.
        var update = new SymbolProtocol.QuoteUpdated(_state.ToQuote()!, NoNewEvent: !newEvent);
        var withRaw = raw is null ? update : update with { RawEvent = raw };
        List<(IActorRef, bool)>? remote = null;
        foreach (var (hub, lease) in _hubs)
        {
            if (hub.Path.Address.HasLocalScope) hub.Tell(lease.WantsRaw ? withRaw : update);
            else (remote ??= []).Add((hub, lease.WantsRaw));
        }
        if (remote is not null) _batcher.Tell(new UpdateBatcher.Publish(Self, update, withRaw, remote));
    }

    private void OnRelease(SymbolProtocol.ReleaseInterest release)
    {
        Forget(release.Hub);
        _released[release.Hub] = _clock.Now + _settings.LeaseDuration;
    }

    private void OnInterest(SymbolProtocol.Interest interest)
    {
        // A renewal (no snapshot wanted) from a hub that released: sent before its release. A hub whose clients come back
        // asks for a snapshot, which is always taken.
        if (!interest.WantSnapshot && _released.TryGetValue(interest.Hub, out var releasedUntil) && releasedUntil > _clock.Now)
        {
            _log.Debug("A renewal of {Hub} for {Symbol} arrived after its release: ignored", interest.Hub.Path, _symbol);
            return;
        }
        _released.Remove(interest.Hub);
        var first = _hubs.Count == 0;
        if (!_hubs.ContainsKey(interest.Hub)) Context.Watch(interest.Hub);
        _hubs[interest.Hub] = (_clock.Now + _settings.LeaseDuration, interest.WantsRaw);
        if (first) _upstream.Tell(new UpstreamProtocol.Want(_symbol));

        if (interest.Seed is { } seed) Adopt(seed);
        else if (interest.WantSnapshot)
        {
            // A hub with no history: a new subscription. The provider's snapshot gives it the day so far.
            _settled = true;
            LoadDayIfUnknown();
        }
        // A held first quote is nobody's yet: a hub asking now gets it when it goes out, like the hubs before it.
        if (interest.WantSnapshot) interest.Hub.Tell(new SymbolProtocol.Snapshot(_symbol, _holdingFirst ? null : _state.ToQuote(snapshot: true)));
    }

    private void Adopt(Quote seed)
    {
        _settled = true;
        var before = _state.ToQuote();
        var next = _state.Adopt(seed);
        if (next.Seq != _state.Seq) _log.Debug("{Symbol} adopted seq {Seq} from a hub (was {Own})", _symbol, next.Seq, _state.Seq);
        Become(next);
        // The seed's day is known only if it is today: a quote a hub kept from an earlier day (its clients left on Friday, one
        // came back on Monday) holds that day's range, volume and previous close, and the provider's snapshot has today's.
        var today = MarketCalendar.DayEndMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (next.DayEndsAt == MarketCalendar.DayEndMs(seed.Timestamp) && next.DayEndsAt == today && next.PreviousClose is not null) _dayKnown = true;
        else LoadDayIfUnknown(); // now, not at the next renewal: meanwhile quote reads would show the earlier day
        // Hubs that got this incarnation's own updates before the seed arrived take the merged quote as the next one (a
        // held first quote goes out merged).
        if (_holdingFirst) ReleaseHeld();
        else if (_state.ToQuote() != before) Publish(null, newEvent: false);
    }

    private void Forget(IActorRef hub)
    {
        if (!_hubs.Remove(hub)) return;
        Context.Unwatch(hub);
        if (_hubs.Count > 0) return;
        _idleSince = _clock.Now;
        _upstream.Tell(new UpstreamProtocol.Unwant(_symbol));
    }

    private void OnRenew()
    {
        _settled = true;
        var now = _clock.Now;
        foreach (var hub in _released.Where(r => r.Value < now).Select(r => r.Key).ToList()) _released.Remove(hub);
        foreach (var lapsed in _hubs.Where(h => h.Value.Until < now).Select(h => h.Key).ToList())
        {
            _log.Info("Interest of {Hub} in {Symbol} lapsed", lapsed.Path, _symbol);
            Forget(lapsed);
        }

        if (_hubs.Count > 0)
        {
            // The first want went straight to the upstream (OnInterest); renewals travel with the node's others.
            _batcher.Tell(new UpdateBatcher.RenewWant(_symbol, _upstream, _settings.RenewInterval / 2));
            LoadDayIfUnknown();
        }
        else if (now - _idleSince > _settings.IdleEntityAfter) Context.Parent.Tell(new Passivate(SymbolProtocol.Stop.Instance));
    }

    private void LoadDayIfUnknown()
    {
        if (_dayKnown || _loadingDay || _clock.Now - _dayAskedAt < ProviderDayRetry) return;
        _loadingDay = true;
        _dayAskedAt = _clock.Now;
        _askedBeforePrice = !_state.HasPrice;
        _snapshots.GetAsync(_symbol).PipeTo(Self, failure: ProviderDay.Failed);
    }

    /// <summary>
    /// The provider listed no such symbol when asked before its first price, and a price has come since: a symbol the
    /// provider starts publishing as it is subscribed (a new listing, the simulator's made-up symbols) raced that read, or
    /// an earlier read was kept. The price says it is listed now, so the day is read again at once, past what was kept,
    /// rather than a minute later; once per price that follows such an answer, so a symbol with no price costs nothing more.
    /// </summary>
    private void AskAgainNowListed()
    {
        (_unlistedBeforePrice, _askedBeforePrice, _loadingDay, _dayAskedAt) = (false, false, true, _clock.Now);
        _snapshots.GetFreshAsync(_symbol).PipeTo(Self, failure: ProviderDay.Failed);
    }

    private void OnProviderDay(ProviderDay loaded)
    {
        _loadingDay = false;
        if (loaded is { Day: null, Error: null } && _askedBeforePrice)
        {
            _askedBeforePrice = false;
            _unlistedBeforePrice = true;
            // A price came while the read was out (a held first quote waits on): ask again now.
            if (_state.HasPrice && _hubs.Count > 0)
            {
                AskAgainNowListed();
                return;
            }
        }
        if (loaded.Day is { } day) TakeProviderDay(day, loaded.PreviousClose);
        ReleaseHeld(); // no day to be had (none published, or the read failed): the first quote goes out as it is
        if (_state.PreviousClose is not null) return;
        // Once per symbol and day: the read is retried every minute, and a provider outage would flood the log otherwise. A
        // warning only when the read failed: a symbol the provider publishes nothing for is a client's choice, and any
        // client may subscribe to fifty of them.
        if (_warnedNoCloseFor == _state.DayEndsAt) _log.Debug("Still no previous close for {Symbol} ({Reason})", _symbol, loaded.Failure ?? "none published");
        else if (loaded.Error is not null)
            _log.Warning("No previous close for {Symbol} ({Reason}); change is relative to the day's open until it is known", _symbol, loaded.Failure);
        else _log.Info("No previous close for {Symbol} ({Reason}); change is relative to the day's open until it is known", _symbol, loaded.Failure ?? "none published");
        _warnedNoCloseFor = _state.DayEndsAt;
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("renew", Renew.Instance, _settings.RenewInterval);
}

/// <summary>Registers the symbol shard region.</summary>
public static class SymbolActorExtensions
{
    /// <summary>The region's type name; it lives at <c>/system/sharding/symbol</c> on every node.</summary>
    public const string RegionName = "symbol";

    public static AkkaConfigurationBuilder AddSymbolRegion(this AkkaConfigurationBuilder builder, string role, int shards) =>
        builder.AddUpdateBatcher().WithShardRegion<SymbolActor>(RegionName,
            (system, registry, resolver) => symbol => resolver.Props<SymbolActor>(symbol, registry.Get<UpstreamActor>(), registry.Get<UpdateBatcher>()).WithDispatcher(FanoutDispatcher.Id),
            new SymbolMessageExtractor(shards),
            new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                Role = role,
                HandOffStopMessage = SymbolProtocol.Stop.Instance,
                // Entities passivate explicitly when they lose all interest; ticks would keep idle passivation from firing.
                ShouldPassivateIdleEntities = false,
            })
            .AddSymbolInbox();
}
