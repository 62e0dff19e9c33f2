using Akka.Actor;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Telemetry;
using Quotes.Contracts;

namespace Quotes.Actors.Sessions;

/// <summary>
/// One per client WebSocket: owns the client's symbol set (at most <c>Limits:MaxSymbolsPerConnection</c>, <see cref="SymbolRules.MaxPerConnection"/> by default), validates
/// requests and answers them in order through the outbox. Quotes never pass through here: the hub writes them straight
/// into the outbox. Stopping the actor (socket closed) frees everything it held at the hub.
/// <para>
/// A subscribe that adds symbols the connection does not hold is first admitted (<see cref="SymbolAdmission"/>: the key's
/// budget, then the cluster's cap); meanwhile later commands wait (stashed), so replies keep their order.
/// </para>
/// </summary>
public sealed class SessionActor : ReceiveActor, IWithUnboundedStash
{
    /// <summary>The answer to an admission: null refusal when admitted.</summary>
    private sealed record Admitted(ClientCommand.Subscribe Request, IReadOnlyList<string> Added, string? Refusal);

    private readonly SessionOutbox _outbox;
    private readonly IActorRef _hub;
    private readonly HashSet<string> _symbols = new(StringComparer.Ordinal);
    private readonly CommandRateLimiter _limiter;
    private readonly int _abuseThreshold;
    private readonly int _maxSymbols;
    private readonly ServerMessages.Welcome _welcome;
    private readonly ConnectionAdmission _admission;
    private readonly QuotesMetrics _metrics = QuotesMetrics.For(Context.System);

    public SessionActor(string sessionId, string node, SessionOutbox outbox, IActorRef hub, QuotesOptions settings,
        SymbolAdmission? admission = null, string? keyId = null, int maxSymbols = SymbolRules.MaxPerConnection)
    {
        _maxSymbols = maxSymbols;
        _admission = new ConnectionAdmission(admission, keyId ?? "");
        _outbox = outbox;
        _hub = hub;
        _limiter = new CommandRateLimiter(settings.CommandsPerSecond, settings.CommandBurst);
        _welcome = new ServerMessages.Welcome(sessionId, maxSymbols, node, settings.CommandsPerSecond, settings.CommandBurst);
        _abuseThreshold = settings.AbuseThreshold;
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(string sessionId, string node, SessionOutbox outbox, IActorRef hub, QuotesOptions? settings = null,
        SymbolAdmission? admission = null, string? keyId = null, int maxSymbols = SymbolRules.MaxPerConnection) =>
        Akka.Actor.Props.Create(() => new SessionActor(sessionId, node, outbox, hub, settings ?? new QuotesOptions(), admission, keyId, maxSymbols));

    private void Ready()
    {
        Receive<SessionProtocol.Command>(c => Handle(c.Value));
        Receive<HubProtocol.Rejoin>(_ => Rejoin());
    }

    /// <summary>Waiting for an admission: commands wait their turn.</summary>
    private void Admitting()
    {
        Receive<Admitted>(a =>
        {
            _admission.Landed();
            if (a.Refusal is { } refusal) ReplyError(new ServerMessages.Error(ErrorCodes.Capacity, refusal, Id: a.Request.Id));
            else Take(a.Request, a.Added);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<HubProtocol.Rejoin>(_ => Rejoin());
        ReceiveAny(_ => Stash.Stash());
    }

    private void Handle(ClientCommand command)
    {
        if (!_limiter.TryTake(DateTime.UtcNow))
        {
            if (_limiter.RefusedInARow >= _abuseThreshold)
            {
                _outbox.Complete(1008, SessionCloses.TooManyRequests);
                Context.Stop(Self);
                return;
            }
            ReplyError(new ServerMessages.Error(ErrorCodes.RateLimited, "too many messages on this connection; slow down", Id: command.Id));
            return;
        }

        switch (command)
        {
            case ClientCommand.Subscribe subscribe: OnSubscribe(subscribe); break;
            case ClientCommand.Unsubscribe unsubscribe: OnUnsubscribe(unsubscribe); break;
            case ClientCommand.Ping ping:
                Reply(ServerMessageEncoder.Encode(new ServerMessages.Pong(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ping.Id)));
                break;
            case ClientCommand.Invalid invalid:
                ReplyError(invalid.Error);
                break;
        }
    }

    private void OnSubscribe(ClientCommand.Subscribe subscribe)
    {
        var added = subscribe.Symbols.Where(s => !_symbols.Contains(s)).ToList();
        if (_symbols.Count + added.Count > _maxSymbols)
        {
            ReplyError(new ServerMessages.Error(ErrorCodes.SymbolLimit,
                $"a connection may hold at most {_maxSymbols} symbols; it holds {_symbols.Count} and this request adds {added.Count}",
                Id: subscribe.Id));
            return;
        }

        if (!_admission.IsNeededFor(added))
        {
            Take(subscribe, added);
            return;
        }
        _admission.Start(added, Self, refusal => new Admitted(subscribe, added, refusal));
        Become(Admitting);
    }

    private void Take(ClientCommand.Subscribe subscribe, IReadOnlyList<string> added)
    {
        _symbols.UnionWith(added);
        Reply(ServerMessageEncoder.Encode(new ServerMessages.Subscribed(subscribe.Symbols, _symbols.Count, _maxSymbols, subscribe.Id)));
        // Every requested symbol gets a snapshot, also those already held: the client asked for them now.
        _hub.Tell(new HubProtocol.Subscribe(Self, subscribe.Symbols));
    }

    private void OnUnsubscribe(ClientCommand.Unsubscribe unsubscribe)
    {
        var removed = unsubscribe.Symbols.Where(_symbols.Remove).ToList();
        _admission.Release(removed);
        Reply(ServerMessageEncoder.Encode(new ServerMessages.Unsubscribed(unsubscribe.Symbols, _symbols.Count, unsubscribe.Id)));
        if (removed.Count > 0) _hub.Tell(new HubProtocol.Unsubscribe(Self, removed));
    }

    private void ReplyError(ServerMessages.Error error)
    {
        _metrics.ProtocolError(error.Code);
        Reply(ServerMessageEncoder.Encode(error));
    }

    private void Reply(byte[] message)
    {
        // A full control queue means the client stopped reading; the writer closes it with 1008.
        if (!_outbox.EnqueueControl(message)) Context.Stop(Self);
    }

    /// <summary>The hub restarted empty: register again with every symbol held (the client gets a fresh snapshot of each).</summary>
    private void Rejoin()
    {
        _hub.Tell(new HubProtocol.Register(Self, _outbox));
        if (_symbols.Count > 0) _hub.Tell(new HubProtocol.Subscribe(Self, _symbols.ToList()));
    }

    protected override void PreStart()
    {
        _outbox.EnqueueControl(ServerMessageEncoder.Encode(_welcome));
        _hub.Tell(new HubProtocol.Register(Self, _outbox));
    }

    protected override void PostStop()
    {
        SessionCloses.Stopped(_outbox, Context.System);
        _admission.ReleaseOnStop(_symbols);
    }
}
