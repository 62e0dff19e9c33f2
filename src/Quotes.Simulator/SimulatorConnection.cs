using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Quotes.Contracts.Polygon;
using Quotes.Contracts.WebSockets;

namespace Quotes.Simulator;

/// <summary>
/// One client of the simulator, speaking Polygon's stocks protocol: <c>connected</c> on upgrade,
/// <c>auth</c>, per-channel subscribe acks, data batched in arrays. One reader loop, one writer loop.
/// </summary>
internal sealed class SimulatorConnection
{
    private const int MaxActionBytes = 1_000_000;
    private const int OutboundFrames = 4096;

    private readonly WebSocket _socket;
    private readonly MarketSimulator _market;
    private readonly HashSet<string> _symbols = new(StringComparer.Ordinal);
    /// <summary>
    /// A frame to send: ready bytes, or aggregates to encode with their window ending at the moment of sending.
    /// <paramref name="IsData"/> is false for statuses, which an evicted connection still gets before its close.
    /// </summary>
    private readonly record struct Outbound(byte[]? Frame, IReadOnlyList<PolygonAggregate>? Stamped, bool IsData, bool Binary = false);

    private readonly Channel<Outbound> _outbound = Channel.CreateBounded<Outbound>(
        new BoundedChannelOptions(OutboundFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private volatile bool _authenticated;
    private int _evicted;
    private volatile bool _slowConsumer;

    // What the report tells about this connection: Unix ms (0: not yet) and counts, written by its own loops, read by Report().
    private readonly long _openedAt = Now();
    private long _authenticatedAt;
    private long _evictedAt;
    private long _lastActionAt;
    private int _actions;
    private int _actionsAfterAuth;
    private int _actionsAfterEviction;
    private int _account = -1;

    private readonly Action _abortTransport;

    /// <param name="abortTransport">Cuts the TCP connection, as a network failure would (no close frame).</param>
    public SimulatorConnection(WebSocket socket, MarketSimulator market, Action abortTransport)
    {
        _socket = socket;
        _abortTransport = abortTransport;
        _market = market;
        Id = market.Register(this);
    }

    public int Id { get; }
    /// <summary>Authenticated and not evicted since: the clock sends it data. An eviction from another thread wins any race.</summary>
    public bool Authenticated => _authenticated && !Evicted;

    /// <summary>Turned away with <c>max_connections</c>: no more data, and its close is 1008.</summary>
    public bool Evicted => Volatile.Read(ref _evicted) == 1;

    public ConnectionReport Report() => new(Id, Authenticated, Channels(), _openedAt, At(ref _authenticatedAt), Account,
        Volatile.Read(ref _actions), Volatile.Read(ref _actionsAfterAuth), At(ref _lastActionAt), At(ref _evictedAt));

    private ClosedConnectionReport Closed(ConnectionEnd end) => new(Id, Account, _openedAt, At(ref _authenticatedAt), At(ref _evictedAt), Now(),
        Evicted ? ConnectionEnd.Evicted : _slowConsumer ? ConnectionEnd.SlowConsumer : end,
        Volatile.Read(ref _actions), Volatile.Read(ref _actionsAfterAuth), Volatile.Read(ref _actionsAfterEviction), At(ref _lastActionAt));

    private int? Account => Volatile.Read(ref _account) is >= 0 and var account ? account : null;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static long? At(ref long unixMs) => Volatile.Read(ref unixMs) is not 0 and var at ? at : null;

    public IReadOnlyList<string> Symbols() { lock (_symbols) return _symbols.ToList(); }
    public IReadOnlyList<string> Channels() => Symbols().Select(s => "A." + s).ToList();

    public void Abort()
    {
        _abortTransport();
        _socket.Abort();
    }

    /// <summary>Queues a data frame; a connection that cannot keep up is closed, as Polygon does.</summary>
    public void Send(byte[] frame) => Enqueue(new Outbound(frame, null, IsData: true));

    private void SendStatus(PolygonStatus status) => Enqueue(new Outbound(PolygonFrames.Status(status), null, IsData: false));

    private void Enqueue(Outbound outbound)
    {
        // A full queue, not one already completed: the writer drains it and closes with slow consumer.
        if (!_outbound.Writer.TryWrite(outbound) && _outbound.Writer.TryComplete()) _slowConsumer = true;
    }

    /// <summary>
    /// Queues aggregates whose <c>s</c>/<c>e</c> are set when the frame is written to the socket (load-test mode), so a
    /// receiver's <c>now − e</c> measures only what happens after the simulator sent it.
    /// </summary>
    public void SendStamped(IReadOnlyList<PolygonAggregate> aggregates)
    {
        Enqueue(new Outbound(null, aggregates, IsData: true));
    }

    private static byte[] Stamp(IReadOnlyList<PolygonAggregate> aggregates)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return PolygonFrames.Frame(aggregates.Select(a =>
            JsonSerializer.SerializeToUtf8Bytes(a with { Start = end - (a.End - a.Start), End = end }, PolygonWireJsonContext.Default.PolygonAggregate)).ToList());
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        SendStatus(_market.Options.AnnounceSimulated ? PolygonStatus.SimulatorConnected : PolygonStatus.Connected);
        var writer = WriteLoopAsync(cts.Token);
        var end = ConnectionEnd.Aborted;
        try
        {
            await ReadLoopAsync(cts.Token).ConfigureAwait(false);
            end = ConnectionEnd.ClientClosed; // unless the simulator closed first: see Closed()
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        finally
        {
            _market.Unregister(Id);
            _outbound.Writer.TryComplete();
            try { await writer.ConfigureAwait(false); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            finally { _market.RecordClosed(Closed(end)); }
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        using var reader = new WebSocketMessageReader(_socket, MaxActionBytes);
        while (true)
        {
            var outcome = await reader.ReadAsync(ct).ConfigureAwait(false);
            if (outcome == ReadOutcome.Closed) return;
            CountAction();
            if (outcome == ReadOutcome.TooLarge) continue;
            Handle(Parse(reader.Message.Span));
        }
    }

    /// <summary>Counts a message from the client, whatever it is, so a test can see a client that should have gone quiet.</summary>
    private void CountAction()
    {
        Interlocked.Increment(ref _actions);
        if (Volatile.Read(ref _authenticatedAt) != 0) Interlocked.Increment(ref _actionsAfterAuth);
        if (Evicted) Interlocked.Increment(ref _actionsAfterEviction);
        Volatile.Write(ref _lastActionAt, Now());
    }

    private static PolygonAction? Parse(ReadOnlySpan<byte> json)
    {
        try { return JsonSerializer.Deserialize(json, PolygonWireJsonContext.Default.PolygonAction); }
        catch (JsonException) { return null; }
    }

    private void Handle(PolygonAction? action)
    {
        switch (action?.Action)
        {
            case "auth":
                _market.Record("auth");
                Authenticate(action.Params);
                break;
            case "subscribe" or "unsubscribe" when !Authenticated:
                SendStatus(PolygonStatus.AuthRequired);
                break;
            case "subscribe":
                foreach (var channel in PolygonChannels.Parse(action.Params)) Subscribe(channel);
                break;
            case "unsubscribe":
                foreach (var channel in PolygonChannels.Parse(action.Params)) Unsubscribe(channel);
                break;
            default:
                SendStatus(PolygonStatus.Error("unknown action"));
                break;
        }
    }

    private void Authenticate(string? key)
    {
        if (Evicted) return; // turned away for good: its close is on its way
        if (_market.Faults.RefuseAuth || !_market.Options.Accepts(key))
        {
            _authenticated = false;
            _market.Release(Id);
            SendStatus(PolygonStatus.AuthFailed);
            return;
        }
        var account = _market.AccountOf(Id, key!);
        Volatile.Write(ref _account, account);
        if (_market.Faults.EvictAfterAuth)
        {
            MarkAuthenticated();
            SendStatus(PolygonStatus.AuthSuccess);
            Evict(withMessage: !_market.Faults.EvictSilently);
            return;
        }
        // The account rule first: an older connection it displaces is gone before this one gets auth_success.
        var admitted = _market.Admit(this, account);
        MarkAuthenticated();
        SendStatus(PolygonStatus.AuthSuccess);
        foreach (var poison in _market.Faults.PoisonAfterAuth) Enqueue(new Outbound(poison.Bytes, null, IsData: true, poison.Binary));
        if (admitted) _authenticated = true;
        else Evict(withMessage: true); // Polygon's order for the extra connection: auth_success, then max_connections
    }

    private void MarkAuthenticated() => Interlocked.CompareExchange(ref _authenticatedAt, Now(), 0);

    /// <summary>
    /// What Polygon does to a connection of an account it turns away: a <c>max_connections</c> status, then close 1008.
    /// Data stops at once: the writer skips any data frame still queued and sends only the statuses before its close.
    /// Safe from any thread (the account rule evicts an older connection from the newer one's reader).
    /// </summary>
    internal void Evict(bool withMessage)
    {
        if (Interlocked.Exchange(ref _evicted, 1) == 1) return;
        Volatile.Write(ref _evictedAt, Now());
        _market.CountEviction();
        _authenticated = false;
        _market.Release(Id);
        if (withMessage) SendStatus(PolygonStatus.MaxConnections); // after _evicted: no data frame can follow it
        _outbound.Writer.TryComplete();
    }

    private void Subscribe(PolygonChannels.Channel channel)
    {
        _market.Record("subscribe " + channel.Text);
        if (channel.Symbol is not { } symbol)
        {
            SendStatus(PolygonStatus.NotAuthorized);
            return;
        }
        lock (_symbols) _symbols.Add(symbol);
        _market.Hold(symbol); // from now on the market lists it, over REST too
        SendStatus(PolygonStatus.SubscribedTo(channel.Text));
    }

    private void Unsubscribe(PolygonChannels.Channel channel)
    {
        _market.Record("unsubscribe " + channel.Text);
        if (channel.Symbol is { } symbol)
            lock (_symbols) _symbols.Remove(symbol);
        SendStatus(PolygonStatus.UnsubscribedTo(channel.Text));
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        await foreach (var outbound in _outbound.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (outbound.IsData && (Evicted || _market.Faults.Halted)) continue;
            if (_market.Faults.FrameDelay > TimeSpan.Zero) await Task.Delay(_market.Faults.FrameDelay, ct).ConfigureAwait(false);
            var frame = outbound.Frame ?? Stamp(outbound.Stamped!);
            await _socket.SendAsync(frame, outbound.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        }
        // The only writer also closes: after the client's close, on eviction, or when the client fell too far behind.
        // No time limit of its own (as Polygon, a client that resumes reading gets its backlog, then the close); the
        // connection's end cancels it.
        if (Evicted && _socket.State == WebSocketState.Open)
            await _socket.CloseWithin(WebSocketCloseStatus.PolicyViolation, PolygonStatusWords.MaxConnections, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        else if (_socket.State == WebSocketState.CloseReceived)
            await _socket.CloseWithin(WebSocketCloseStatus.NormalClosure, null, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        else if (_socket.State == WebSocketState.Open)
        {
            await _socket.SendAsync(PolygonFrames.Status(PolygonStatus.SlowConsumer), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            await _socket.CloseWithin(WebSocketCloseStatus.PolicyViolation, "slow consumer", Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        }
    }
}
