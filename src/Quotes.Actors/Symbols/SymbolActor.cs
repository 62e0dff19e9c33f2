using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Polygon;
using Quotes.Actors.Upstream;

namespace Quotes.Actors.Symbols;

/// <summary>
/// The sharded entity for one symbol: applies upstream aggregates to its <see cref="QuoteState"/>, sends each new quote once
/// to every node hub that holds a live interest lease, and keeps the upstream's want for the symbol alive while it has any.
/// </summary>
public sealed class SymbolActor : ReceiveActor, IWithTimers
{
    private sealed class Renew { public static readonly Renew Instance = new(); }
    private sealed record PreviousCloseLoaded(decimal? Value, string? Failure);

    private readonly string _symbol;
    private readonly IActorRef _upstream;
    private readonly PolygonRestClient _rest;
    private readonly QuotesSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, DateTime> _hubs = new();
    private QuoteState _state;
    private DateTime _idleSince = DateTime.UtcNow;

    public SymbolActor(string symbol, IActorRef upstream, PolygonRestClient rest, QuotesSettings settings)
    {
        _symbol = symbol;
        _upstream = upstream;
        _rest = rest;
        _settings = settings;
        _state = new QuoteState(symbol);

        Receive<SymbolProtocol.Aggregate>(a => Apply(a.Bar));
        Receive<SymbolProtocol.Refresh>(r =>
        {
            if (r.PreviousClose is { } close && _state.PreviousClose is null) _state = _state.WithPreviousClose(close);
            Apply(r.Bar);
        });
        Receive<SymbolProtocol.Interest>(OnInterest);
        Receive<SymbolProtocol.ReleaseInterest>(r => Forget(r.Hub));
        Receive<SymbolProtocol.GetQuote>(_ => Sender.Tell(new SymbolProtocol.CurrentQuote(_symbol, _state.ToQuote())));
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
        _state = next;
        if (_hubs.Count == 0) return;
        var update = new SymbolProtocol.QuoteUpdated(_state.ToQuote()!, bar.Raw);
        foreach (var hub in _hubs.Keys) hub.Tell(update);
    }

    private void OnInterest(SymbolProtocol.Interest interest)
    {
        var first = _hubs.Count == 0;
        if (!_hubs.ContainsKey(interest.Hub)) Context.Watch(interest.Hub);
        _hubs[interest.Hub] = DateTime.UtcNow + _settings.LeaseDuration;
        if (first) _upstream.Tell(new UpstreamProtocol.Want(_symbol));
        if (interest.WantSnapshot) interest.Hub.Tell(new SymbolProtocol.Snapshot(_symbol, _state.ToQuote(snapshot: true)));
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
        var now = DateTime.UtcNow;
        foreach (var lapsed in _hubs.Where(h => h.Value < now).Select(h => h.Key).ToList())
        {
            _log.Info("Interest of {Hub} in {Symbol} lapsed", lapsed.Path, _symbol);
            Forget(lapsed);
        }

        if (_hubs.Count > 0) _upstream.Tell(new UpstreamProtocol.Want(_symbol));
        else if (now - _idleSince > _settings.IdleEntityAfter) Context.Parent.Tell(new Passivate(SymbolProtocol.Stop.Instance));
    }

    private void OnPreviousClose(PreviousCloseLoaded loaded)
    {
        if (loaded.Value is { } close) _state = _state.WithPreviousClose(close);
        else _log.Warning("No previous close for {Symbol} ({Reason}); change is relative to the day's open", _symbol, loaded.Failure ?? "none published");
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("renew", Renew.Instance, _settings.RenewInterval);
        _rest.GetPreviousCloseAsync(_symbol, CancellationToken.None).WaitAsync(_settings.ConnectTimeout).PipeTo(Self,
            success: value => new PreviousCloseLoaded(value, null),
            failure: e => new PreviousCloseLoaded(null, e is PolygonRestException or TimeoutException or HttpRequestException ? e.Message : e.GetType().Name));
    }
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
