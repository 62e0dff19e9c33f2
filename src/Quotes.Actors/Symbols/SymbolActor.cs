using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Polygon;
using Quotes.Actors.Upstream;
using Quotes.Contracts;

namespace Quotes.Actors.Symbols;

/// <summary>
/// The sharded entity for one symbol: applies upstream aggregates to its <see cref="QuoteState"/>, sends each new quote once
/// to every node hub that holds a live interest lease, and keeps the upstream's want for the symbol alive while it has any.
/// <para>
/// Each entity is one incarnation of the symbol: it moves on every rebalance, crash and restart. A new one starts empty
/// and adopts the latest quote each hub hands it with its interest, so <c>seq</c> and the day's state carry on; until a
/// hub has seeded it (or one renewal period has passed) it does not answer quote reads, which then fall back to the
/// provider, so nobody reads a narrower day than clients already saw. The previous close comes from the seeds; the
/// provider is asked only when no hub knew it (a new subscription, a new trading day), at most once a minute.
/// </para>
/// </summary>
public sealed class SymbolActor : ReceiveActor, IWithTimers
{
    private sealed class Renew { public static readonly Renew Instance = new(); }
    private sealed record PreviousCloseLoaded(decimal? Value, string? Failure);

    /// <summary>How long after a failed or empty previous-close lookup the entity may ask the provider again.</summary>
    private static readonly TimeSpan PreviousCloseRetry = TimeSpan.FromMinutes(1);

    private readonly string _symbol;
    private readonly IActorRef _upstream;
    private readonly PolygonRestClient _rest;
    private readonly QuotesSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, DateTime> _hubs = new();
    private QuoteState _state;
    private DateTime _idleSince = DateTime.UtcNow;
    private bool _settled;
    private bool _loadingPreviousClose;
    private DateTime _previousCloseAskedAt = DateTime.MinValue;

    public SymbolActor(string symbol, IActorRef upstream, PolygonRestClient rest, QuotesSettings settings)
    {
        _symbol = symbol;
        _upstream = upstream;
        _rest = rest;
        _settings = settings;
        _state = new QuoteState(symbol);

        Receive<SymbolProtocol.Aggregate>(a => Apply(a.Bar));
        Receive<SymbolProtocol.Refresh>(OnRefresh);
        Receive<SymbolProtocol.Interest>(OnInterest);
        Receive<SymbolProtocol.ReleaseInterest>(r => Forget(r.Hub));
        Receive<SymbolProtocol.GetQuote>(_ => Sender.Tell(new SymbolProtocol.CurrentQuote(_symbol, _settled ? _state.ToQuote() : null)));
        Receive<SymbolProtocol.GetInterest>(_ => Sender.Tell(new SymbolProtocol.InterestReport(_symbol, _hubs.Keys.Select(h => h.Path.ToString()).Order().ToList())));
        Receive<PreviousCloseLoaded>(OnPreviousClose);
        Receive<Renew>(_ => OnRenew());
        Receive<Terminated>(t => Forget(t.ActorRef));
        Receive<SymbolProtocol.Stop>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Apply(AggregateBar bar)
    {
        var next = _state.Apply(bar);
        if (ReferenceEquals(next, _state)) return;
        if (next.PreviousClose is null && _state.PreviousClose is not null) _previousCloseAskedAt = DateTime.MinValue; // a new trading day
        _state = next;
        Publish(bar.Raw);
    }

    /// <summary>A provider snapshot after an upstream outage: only ever moves the state forward.</summary>
    private void OnRefresh(SymbolProtocol.Refresh refresh)
    {
        if (refresh.PreviousClose is { } close && _state.PreviousClose is null) _state = _state.WithPreviousClose(close);
        if (!_state.HasPrice || refresh.Bar.End > _state.Timestamp) Apply(refresh.Bar);
    }

    private void Publish(byte[]? raw)
    {
        if (_hubs.Count == 0) return;
        var update = new SymbolProtocol.QuoteUpdated(_state.ToQuote()!, raw);
        foreach (var hub in _hubs.Keys) hub.Tell(update);
    }

    private void OnInterest(SymbolProtocol.Interest interest)
    {
        var first = _hubs.Count == 0;
        if (!_hubs.ContainsKey(interest.Hub)) Context.Watch(interest.Hub);
        _hubs[interest.Hub] = DateTime.UtcNow + _settings.LeaseDuration;
        if (first) _upstream.Tell(new UpstreamProtocol.Want(_symbol));

        if (interest.Seed is { } seed) Adopt(seed);
        else if (interest.WantSnapshot) LoadPreviousCloseIfUnknown(); // a hub with no history: a new subscription
        if (interest.WantSnapshot) interest.Hub.Tell(new SymbolProtocol.Snapshot(_symbol, _state.ToQuote(snapshot: true)));
    }

    private void Adopt(Quote seed)
    {
        _settled = true;
        var before = _state.ToQuote();
        var next = _state.Adopt(seed);
        if (next.Seq != _state.Seq) _log.Debug("{Symbol} adopted seq {Seq} from a hub (was {Own})", _symbol, next.Seq, _state.Seq);
        _state = next;
        // Hubs that got this incarnation's own updates before the seed arrived take the merged quote as the next one.
        if (_state.ToQuote() != before) Publish(null);
    }

    private void Forget(IActorRef hub)
    {
        if (!_hubs.Remove(hub)) return;
        Context.Unwatch(hub);
        if (_hubs.Count > 0) return;
        _idleSince = DateTime.UtcNow;
        _upstream.Tell(new UpstreamProtocol.Unwant(_symbol));
    }

    private void OnRenew()
    {
        _settled = true;
        var now = DateTime.UtcNow;
        foreach (var lapsed in _hubs.Where(h => h.Value < now).Select(h => h.Key).ToList())
        {
            _log.Info("Interest of {Hub} in {Symbol} lapsed", lapsed.Path, _symbol);
            Forget(lapsed);
        }

        if (_hubs.Count > 0)
        {
            _upstream.Tell(new UpstreamProtocol.Want(_symbol));
            LoadPreviousCloseIfUnknown();
        }
        else if (now - _idleSince > _settings.IdleEntityAfter) Context.Parent.Tell(new Passivate(SymbolProtocol.Stop.Instance));
    }

    private void LoadPreviousCloseIfUnknown()
    {
        if (_state.PreviousClose is not null || _loadingPreviousClose || DateTime.UtcNow - _previousCloseAskedAt < PreviousCloseRetry) return;
        _loadingPreviousClose = true;
        _previousCloseAskedAt = DateTime.UtcNow;
        _rest.GetPreviousCloseAsync(_symbol, CancellationToken.None).WaitAsync(_settings.ConnectTimeout).PipeTo(Self,
            success: value => new PreviousCloseLoaded(value, null),
            failure: e => new PreviousCloseLoaded(null, e is PolygonRestException or TimeoutException or HttpRequestException ? e.Message : e.GetType().Name));
    }

    private void OnPreviousClose(PreviousCloseLoaded loaded)
    {
        _loadingPreviousClose = false;
        if (loaded.Value is { } close) _state = _state.PreviousClose is null ? _state.WithPreviousClose(close) : _state;
        else _log.Warning("No previous close for {Symbol} ({Reason}); change is relative to the day's open", _symbol, loaded.Failure ?? "none published");
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("renew", Renew.Instance, _settings.RenewInterval);
}

/// <summary>Registers the symbol shard region.</summary>
public static class SymbolActorExtensions
{
    public static AkkaConfigurationBuilder AddSymbolRegion(this AkkaConfigurationBuilder builder, string role) =>
        builder.AddFanoutDispatcher().WithShardRegion<SymbolActor>("symbol",
            (system, registry, resolver) => symbol => resolver.Props<SymbolActor>(symbol, registry.Get<UpstreamActor>()).WithDispatcher(FanoutDispatcher.Id),
            new SymbolMessageExtractor(),
            new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                Role = role,
                HandOffStopMessage = SymbolProtocol.Stop.Instance,
                // Entities passivate explicitly when they lose all interest; ticks would keep idle passivation from firing.
                ShouldPassivateIdleEntities = false,
            });
}
