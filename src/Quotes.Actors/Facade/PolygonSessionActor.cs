using Akka.Actor;
using Akka.Event;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Actors.Telemetry;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Facade;

/// <summary>
/// One client of the Polygon-compatible façade (<c>/polygon/stocks</c>, README "Use your existing Polygon code"): <c>connected</c> at once, then
/// actions strictly in arrival order, so an <c>auth</c> sent before <c>connected</c> arrived, or subscribes pipelined
/// behind it, are honoured; the auth result is the very next frame. Same limits as <c>/ws</c> (symbols per connection,
/// the command rate limiter and its abuse close); the data is the upstream's own events, relayed by the hub.
/// <para>
/// Until it authenticates the socket holds only a pre-auth slot: it has <see cref="QuotesOptions.FacadeAuthTimeout"/> and
/// <see cref="QuotesOptions.FacadeAuthAttempts"/> tries, and a valid key is charged a client slot only at <c>auth_success</c>
/// (a node or key at its limit gets <c>max_connections</c> and 1013).
/// </para>
/// </summary>
public sealed class PolygonSessionActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    /// <summary>
    /// A client action in arrival order; <see cref="Action"/> is null for a frame that was not an action object, and
    /// <see cref="Problem"/> says why when the frame could not be read at all (too large, not JSON, nested too deeply).
    /// </summary>
    public sealed record ClientAction(string? Action, string? Params, string? Problem = null) : INoSerializationVerificationNeeded
    {
        /// <summary>Never prints <see cref="Params"/>: for <c>auth</c> it is the client's key, and Akka logs undelivered messages.</summary>
        public override string ToString() => $"ClientAction {{ Action = {Action} }}";
    }

    // A tick to self: it leaves a receive timeout alone and makes no dead-letter noise once the actor is gone.
    private sealed class AuthDeadline : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly AuthDeadline Instance = new(); }

    /// <summary>The answer to an admission: null refusal when admitted.</summary>
    private sealed record Admitted(string? Parameters, IReadOnlyList<string> Adding, string? Refusal);

    private readonly SessionOutbox _outbox;
    private readonly IActorRef _hub;
    private readonly Func<string?, FacadeAuth> _authenticate;
    private readonly QuotesOptions _settings;
    private readonly CommandRateLimiter _limiter;
    private readonly HashSet<string> _symbols = new(StringComparer.Ordinal);
    private readonly ConnectionAdmission _admission;
    private readonly QuotesMetrics _metrics = QuotesMetrics.For(Context.System);
    private bool _authenticated;
    private int _authFailures;
    private readonly bool _simulated;
    private readonly int _maxSymbols;

    /// <param name="simulated">The node's feed is a simulator: <c>connected</c> says so, as the simulator's own does.</param>
    public PolygonSessionActor(SessionOutbox outbox, IActorRef hub, Func<string?, FacadeAuth> authenticate, QuotesOptions settings,
        SymbolAdmission? admission = null, bool simulated = false, int maxSymbols = SymbolRules.MaxPerConnection)
    {
        _maxSymbols = maxSymbols;
        _simulated = simulated;
        _admission = new ConnectionAdmission(admission);
        _outbox = outbox;
        _hub = hub;
        _authenticate = authenticate;
        _settings = settings;
        _limiter = new CommandRateLimiter(settings.CommandsPerSecond, settings.CommandBurst);
        Ready();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(SessionOutbox outbox, IActorRef hub, Func<string?, FacadeAuth> authenticate, QuotesOptions settings,
        SymbolAdmission? admission = null, bool simulated = false, int maxSymbols = SymbolRules.MaxPerConnection) =>
        Akka.Actor.Props.Create(() => new PolygonSessionActor(outbox, hub, authenticate, settings, admission, simulated, maxSymbols));

    private void Ready()
    {
        Receive<ClientAction>(Handle);
        Receive<HubProtocol.Rejoin>(_ => Rejoin());
        Receive<AuthDeadline>(_ => OnAuthDeadline());
    }

    /// <summary>Waiting for an admission: actions wait their turn.</summary>
    private void Admitting()
    {
        Receive<Admitted>(a =>
        {
            _admission.Landed();
            if (a.Refusal is { } refusal) Reply(PolygonStatus.Error($"{ErrorCodes.Capacity}: {refusal}; nothing in this request was subscribed"));
            else Acknowledge(a.Parameters);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<HubProtocol.Rejoin>(_ => Rejoin());
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>The hub restarted empty: register again with every symbol held.</summary>
    private void Rejoin()
    {
        if (!_authenticated) return;
        _hub.Tell(new HubProtocol.Register(Self, _outbox, SessionFormat.Polygon));
        if (_symbols.Count > 0) _hub.Tell(new HubProtocol.Subscribe(Self, _symbols.ToList()));
    }

    private void OnAuthDeadline()
    {
        if (_authenticated) return;
        Reply(PolygonStatus.AuthTimeout);
        _outbox.Complete(1008, SessionCloses.AuthTimeout); // the writer sends it, then closes the socket
    }

    private void Handle(ClientAction message)
    {
        if (!_limiter.TryTake(DateTime.UtcNow))
        {
            if (_limiter.RefusedInARow >= _settings.AbuseThreshold) Close(1008, SessionCloses.TooManyRequests);
            else Reply(PolygonStatus.Error("too many messages on this connection; slow down"));
            return;
        }

        if (message.Problem is { } problem)
        {
            Reply(PolygonStatus.Error(problem));
            return;
        }
        switch (message.Action)
        {
            case "auth":
                Authenticate(message.Params);
                break;
            case "subscribe" or "unsubscribe" when !_authenticated:
                Reply(_authFailures > 0 ? PolygonStatus.AuthFailed : PolygonStatus.AuthRequired);
                break;
            case "subscribe" or "unsubscribe" when PolygonChannels.Parse(message.Params).Count == 0:
                // No channel to answer for (params missing, empty, or not a string): an answer still, or the client waits for one.
                Reply(PolygonStatus.Error($"{message.Action} needs params: its channels in one string, such as \"A.AAPL,A.MSFT\""));
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

    private void Authenticate(string? key)
    {
        var auth = _authenticate(key);
        switch (auth.Result)
        {
            case FacadeAuthResult.Success:
                if (!_authenticated) _hub.Tell(new HubProtocol.Register(Self, _outbox, SessionFormat.Polygon));
                _authenticated = true;
                _admission.KeyId = auth.KeyId;
                Timers.Cancel("auth");
                Reply(PolygonStatus.AuthSuccess);
                break;
            case FacadeAuthResult.AtCapacity:
                Reply(PolygonStatus.ServerFull);
                Close(1013, "server at its connection limit; retry later");
                break;
            default:
                Reply(PolygonStatus.AuthFailed);
                if (++_authFailures >= _settings.FacadeAuthAttempts && !_authenticated) Close(1008, "too many failed auth attempts");
                break;
        }
    }

    /// <summary>Ends the connection on purpose: the writer sends what is queued, then closes with <paramref name="code"/>.</summary>
    private void Close(int code, string reason)
    {
        _outbox.Complete(code, reason);
        Context.Stop(Self);
    }

    /// <summary>Symbols new to the connection are admitted first (the key's budget, the cluster's cap); refused, nothing is subscribed.</summary>
    private void Subscribe(string? parameters)
    {
        // What this request would add, as the acknowledgement below adds them: valid, new, within the connection's limit.
        var adding = new List<string>();
        foreach (var channel in PolygonChannels.Parse(parameters))
            if (channel.Symbol is { } symbol && !_symbols.Contains(symbol) && !adding.Contains(symbol) && _symbols.Count + adding.Count < _maxSymbols)
                adding.Add(symbol);
        if (!_admission.IsNeededFor(adding))
        {
            Acknowledge(parameters);
            return;
        }
        _admission.Start(adding, Self, refusal => new Admitted(parameters, adding, refusal));
        Become(Admitting);
    }

    private void Acknowledge(string? parameters)
    {
        var added = new List<string>();
        foreach (var channel in PolygonChannels.Parse(parameters))
        {
            if (channel.Symbol is not { } symbol)
                Reply(PolygonStatus.NotAuthorized);
            else if (!_symbols.Contains(symbol) && _symbols.Count >= _maxSymbols)
                Reply(PolygonStatus.Error($"subscription limit reached: at most {_maxSymbols} tickers per connection; {channel.Text} was not subscribed"));
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
        _admission.Release(removed);
        if (removed.Count > 0) _hub.Tell(new HubProtocol.Unsubscribe(Self, removed));
    }

    private void Reply(PolygonStatus status)
    {
        // Polygon's error statuses (auth_failed, auth_required, auth_timeout, error) are this protocol's error codes.
        if (status.Status is not (PolygonStatusWords.Connected or PolygonStatusWords.AuthSuccess or PolygonStatusWords.Success)) _metrics.ProtocolError(status.Status);
        // A full control queue means the client stopped reading; the writer closes it.
        if (!_outbox.EnqueueControl(status.Encode())) Context.Stop(Self);
    }

    protected override void PreStart()
    {
        // A server downstream (another AkkaQuotes pointed at this façade) then reports simulated prices as such too.
        Reply(_simulated ? PolygonStatus.SimulatorConnected : PolygonStatus.Connected);
        Timers.StartSingleTimer("auth", AuthDeadline.Instance, _settings.FacadeAuthTimeout);
    }

    protected override void PostStop()
    {
        SessionCloses.Stopped(_outbox, Context.System);
        _admission.ReleaseOnStop(_symbols);
    }
}
