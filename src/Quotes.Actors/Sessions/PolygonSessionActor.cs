using Akka.Actor;
using Quotes.Actors.Fanout;
using Quotes.Actors.Telemetry;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Sessions;

/// <summary>
/// One client of the Polygon-compatible façade (<c>/polygon/stocks</c>, README "Use your existing Polygon code"): <c>connected</c> at once, then
/// actions strictly in arrival order, so an <c>auth</c> sent before <c>connected</c> arrived, or subscribes pipelined
/// behind it, are honoured; the auth result is the very next frame. Same limits as <c>/ws</c>; the data is the
/// upstream's own events, relayed by the hub.
/// </summary>
public sealed class PolygonSessionActor : ReceiveActor, IWithTimers
{
    /// <summary>A client action in arrival order; <see cref="Action"/> is null for a frame that was not an action object.</summary>
    public sealed record ClientAction(string? Action, string? Params) : INoSerializationVerificationNeeded
    {
        /// <summary>Never prints <see cref="Params"/>: for <c>auth</c> it is the client's key, and Akka logs undelivered messages.</summary>
        public override string ToString() => $"ClientAction {{ Action = {Action} }}";
    }

    private sealed class AuthDeadline { public static readonly AuthDeadline Instance = new(); }

    private readonly SessionOutbox _outbox;
    private readonly IActorRef _hub;
    private readonly Func<string?, bool> _isValidKey;
    private readonly TimeSpan _authTimeout;
    private readonly HashSet<string> _symbols = new(StringComparer.Ordinal);
    private readonly QuotesMetrics _metrics = QuotesMetrics.For(Context.System);
    private bool _authenticated;
    private bool _authTried;

    public PolygonSessionActor(SessionOutbox outbox, IActorRef hub, Func<string?, bool> isValidKey, TimeSpan authTimeout)
    {
        _outbox = outbox;
        _hub = hub;
        _isValidKey = isValidKey;
        _authTimeout = authTimeout;
        Receive<ClientAction>(Handle);
        // The hub restarted empty: register again with every symbol held.
        Receive<HubProtocol.Rejoin>(_ =>
        {
            if (!_authenticated) return;
            _hub.Tell(new HubProtocol.Register(Self, _outbox, SessionFormat.Polygon));
            if (_symbols.Count > 0) _hub.Tell(new HubProtocol.Subscribe(Self, _symbols.ToList()));
        });
        Receive<AuthDeadline>(_ =>
        {
            if (_authenticated) return;
            Reply(PolygonStatus.AuthTimeout);
            _outbox.Complete(1008, SessionCloses.AuthTimeout); // the writer sends it, then closes the socket
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SessionOutbox outbox, IActorRef hub, Func<string?, bool> isValidKey, TimeSpan authTimeout) =>
        Akka.Actor.Props.Create(() => new PolygonSessionActor(outbox, hub, isValidKey, authTimeout));

    private void Handle(ClientAction message)
    {
        switch (message.Action)
        {
            case "auth":
                _authTried = true;
                if (_isValidKey(message.Params))
                {
                    if (!_authenticated) _hub.Tell(new HubProtocol.Register(Self, _outbox, SessionFormat.Polygon));
                    _authenticated = true;
                    Timers.Cancel("auth");
                    Reply(PolygonStatus.AuthSuccess);
                }
                else
                {
                    Reply(PolygonStatus.AuthFailed);
                }
                break;
            case "subscribe" or "unsubscribe" when !_authenticated:
                Reply(_authTried ? PolygonStatus.AuthFailed : PolygonStatus.AuthRequired);
                break;
            case "subscribe":
                Subscribe(message.Params);
                break;
            case "unsubscribe":
                Unsubscribe(message.Params);
                break;
            default:
                Reply(PolygonStatus.Error("unknown action: send auth, subscribe or unsubscribe"));
                break;
        }
    }

    private void Subscribe(string? parameters)
    {
        var added = new List<string>();
        foreach (var channel in PolygonChannels.Parse(parameters))
        {
            if (channel.Symbol is not { } symbol)
                Reply(PolygonStatus.NotAuthorized);
            else if (!_symbols.Contains(symbol) && _symbols.Count >= SymbolRules.MaxPerConnection)
                Reply(PolygonStatus.Error($"subscription limit reached: at most {SymbolRules.MaxPerConnection} tickers per connection; {channel.Text} was not subscribed"));
            else
            {
                if (_symbols.Add(symbol)) added.Add(symbol);
                Reply(PolygonStatus.SubscribedTo(channel.Text));
            }
        }
        if (added.Count > 0) _hub.Tell(new HubProtocol.Subscribe(Self, added));
    }

    private void Unsubscribe(string? parameters)
    {
        var removed = new List<string>();
        foreach (var channel in PolygonChannels.Parse(parameters))
        {
            if (channel.Symbol is { } symbol && _symbols.Remove(symbol)) removed.Add(symbol);
            Reply(PolygonStatus.UnsubscribedTo(channel.Text));
        }
        if (removed.Count > 0) _hub.Tell(new HubProtocol.Unsubscribe(Self, removed));
    }

    private void Reply(PolygonStatus status)
    {
        // Polygon's error statuses (auth_failed, auth_required, auth_timeout, error) are this protocol's error codes.
        if (status.Status is not ("connected" or "auth_success" or "success")) _metrics.ProtocolError(status.Status);
        // A full control queue means the client stopped reading; the writer closes it.
        if (!_outbox.EnqueueControl(status.Encode())) Context.Stop(Self);
    }

    protected override void PreStart()
    {
        Reply(PolygonStatus.Connected);
        Timers.StartSingleTimer("auth", AuthDeadline.Instance, _authTimeout);
    }

    protected override void PostStop() => _outbox.Complete();
}
