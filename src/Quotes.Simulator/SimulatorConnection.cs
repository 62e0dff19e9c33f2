using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Quotes.Contracts.WebSockets;

using Quotes.Contracts;

using Quotes.Contracts.Polygon;

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
    /// <summary>A frame to send: ready bytes, or aggregates to encode with their window ending at the moment of sending.</summary>
    private readonly record struct Outbound(byte[]? Frame, IReadOnlyList<PolygonAggregate>? Stamped);

    private readonly Channel<Outbound> _outbound = Channel.CreateBounded<Outbound>(
        new BoundedChannelOptions(OutboundFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private volatile bool _authenticated;
    private volatile bool _evict;

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
    public bool Authenticated => _authenticated;

    public IReadOnlyList<string> Symbols() { lock (_symbols) return _symbols.ToList(); }
    public IReadOnlyList<string> Channels() => Symbols().Select(s => "A." + s).ToList();

    public void Abort()
    {
        _abortTransport();
        _socket.Abort();
    }

    /// <summary>Queues a frame; a connection that cannot keep up is closed, as Polygon does.</summary>
    public void Send(byte[] frame)
    {
        if (!_outbound.Writer.TryWrite(new Outbound(frame, null))) _outbound.Writer.TryComplete();
    }

    /// <summary>
    /// Queues aggregates whose <c>s</c>/<c>e</c> are set when the frame is written to the socket (load-test mode), so a
    /// receiver's <c>now − e</c> measures only what happens after the simulator sent it.
    /// </summary>
    public void SendStamped(IReadOnlyList<PolygonAggregate> aggregates)
    {
        if (!_outbound.Writer.TryWrite(new Outbound(null, aggregates))) _outbound.Writer.TryComplete();
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
        Send(PolygonFrames.Status(PolygonStatus.Connected));
        var writer = WriteLoopAsync(cts.Token);
        try
        {
            await ReadLoopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        finally
        {
            _market.Unregister(Id);
            _outbound.Writer.TryComplete();
            try { await writer.ConfigureAwait(false); } catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        using var reader = new WebSocketMessageReader(_socket, MaxActionBytes);
        while (true)
        {
            var outcome = await reader.ReadAsync(ct).ConfigureAwait(false);
            if (outcome == ReadOutcome.Closed) return;
            if (outcome == ReadOutcome.TooLarge) continue;
            Handle(Parse(reader.Message.Span));
        }
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
                _authenticated = !_market.Faults.RefuseAuth && _market.Options.Accepts(action.Params);
                Send(PolygonFrames.Status(_authenticated ? PolygonStatus.AuthSuccess : PolygonStatus.AuthFailed));
                if (_authenticated && _market.Faults.EvictAfterAuth) Evict(withMessage: !_market.Faults.EvictSilently);
                break;
            case "subscribe" or "unsubscribe" when !_authenticated:
                Send(PolygonFrames.Status(PolygonStatus.AuthRequired));
                break;
            case "subscribe":
                foreach (var channel in PolygonChannels.Parse(action.Params)) Subscribe(channel);
                break;
            case "unsubscribe":
                foreach (var channel in PolygonChannels.Parse(action.Params)) Unsubscribe(channel);
                break;
            default:
                Send(PolygonFrames.Status(PolygonStatus.Error("unknown action")));
                break;
        }
    }

    /// <summary>What Polygon does to the extra connection of an account: a status, then close 1008.</summary>
    private void Evict(bool withMessage)
    {
        _authenticated = false;
        if (withMessage) Send(PolygonFrames.Status(PolygonStatus.MaxConnections));
        _evict = true;
        _outbound.Writer.TryComplete();
    }

    private void Subscribe(PolygonChannels.Channel channel)
    {
        _market.Record("subscribe " + channel.Text);
        if (channel.Symbol is not { } symbol)
        {
            Send(PolygonFrames.Status(PolygonStatus.NotAuthorized));
            return;
        }
        lock (_symbols) _symbols.Add(symbol);
        _market.Walk(symbol); // from now on the market lists it, over REST too
        Send(PolygonFrames.Status(PolygonStatus.SubscribedTo(channel.Text)));
    }

    private void Unsubscribe(PolygonChannels.Channel channel)
    {
        _market.Record("unsubscribe " + channel.Text);
        if (channel.Symbol is { } symbol)
            lock (_symbols) _symbols.Remove(symbol);
        Send(PolygonFrames.Status(PolygonStatus.UnsubscribedTo(channel.Text)));
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        await foreach (var outbound in _outbound.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (_market.Faults.FrameDelay > TimeSpan.Zero) await Task.Delay(_market.Faults.FrameDelay, ct).ConfigureAwait(false);
            var frame = outbound.Frame ?? Stamp(outbound.Stamped!);
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        }
        // The only writer also closes: after the client's close, on eviction, or when the client fell too far behind.
        if (_evict && _socket.State == WebSocketState.Open)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "max_connections", ct).ConfigureAwait(false);
        else if (_socket.State == WebSocketState.CloseReceived)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
        else if (_socket.State == WebSocketState.Open)
        {
            await _socket.SendAsync(PolygonFrames.Status(PolygonStatus.SlowConsumer), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "slow consumer", ct).ConfigureAwait(false);
        }
    }
}
