using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using Quotes.Actors.Polygon;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Contracts;
using Quotes.Contracts.WebSockets;

namespace Quotes.Actors.Upstream;

/// <summary>
/// One WebSocket to Polygon, never inside an actor. Three loops: the reader drains the socket into a bounded buffer at
/// once (Polygon kills slow consumers), the parser routes each frame's aggregates to their entities (<see cref="AggregateRouting"/>) and statuses to the
/// owner, and the writer sends queued actions. The owner hears <see cref="Closed"/> exactly once.
/// </summary>
public sealed class UpstreamConnection : IAsyncDisposable
{
    /// <summary>A status frame from this connection.</summary>
    public sealed record StatusReceived(int Generation, PolygonStatusEvent Status) : INoSerializationVerificationNeeded;

    /// <summary>Frames that could not be fully parsed (logged, skipped).</summary>
    public sealed record Malformed(int Generation, int Count) : INoSerializationVerificationNeeded;

    /// <summary>The connection ended; <see cref="Reason"/> is safe to log.</summary>
    public sealed record Closed(int Generation, string Reason, WebSocketCloseStatus? CloseStatus) : INoSerializationVerificationNeeded;

    private const int MaxFrameBytes = 4 * 1024 * 1024;
    private const int InboundFrames = 16_384;

    private readonly ClientWebSocket _socket;
    private readonly int _generation;
    private readonly IActorRef _owner;
    private readonly AggregateRouting _routing;
    private readonly UpstreamFence _fence;
    private readonly QuotesMetrics _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<byte[]> _inbound;
    private readonly Channel<string> _outbound = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private int _closedReported;
    private string _closeReason = "unknown";
    private WebSocketCloseStatus? _closeStatus;
    private long _droppedFrames;
    private Task _reading = Task.CompletedTask;

    private UpstreamConnection(ClientWebSocket socket, int generation, IActorRef owner, AggregateRouting routing, UpstreamFence fence, QuotesMetrics metrics)
    {
        _socket = socket;
        _metrics = metrics;
        _fence = fence;
        _generation = generation;
        _owner = owner;
        _routing = routing;
        // Reading never waits for parsing: past the buffer the oldest frames go (and are counted), never the socket.
        _inbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(InboundFrames) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _droppedFrames));
    }

    public int Generation => _generation;

    /// <summary>Cuts the socket at once, without a close frame (the fence's cut).</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Frames dropped because parsing fell behind reading.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Connects; the caller owns the result and must dispose it.</summary>
    /// <remarks>
    /// Liveness: .NET sends a ping only after <see cref="QuotesSettings.PingInterval"/> without any inbound frame, and aborts
    /// the socket when its pong does not come within <see cref="QuotesSettings.LivenessTimeout"/>. So data counts as life,
    /// and a silent, pong-less connection is detected within interval + timeout.
    /// </remarks>
    /// <para>Nothing is written while <paramref name="fence"/> refuses; the owner makes the fence guard the current connection.</para>
    public static async Task<UpstreamConnection> OpenAsync(Uri uri, int generation, IActorRef owner, AggregateRouting routing, QuotesSettings settings,
        UpstreamFence fence, QuotesMetrics metrics)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = settings.PingInterval;
        socket.Options.KeepAliveTimeout = settings.LivenessTimeout;
        try
        {
            using var cts = new CancellationTokenSource(settings.ConnectTimeout);
            await socket.ConnectAsync(uri, cts.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new UpstreamConnection(socket, generation, owner, routing, fence, metrics);
        if (!fence.MaySend()) socket.Abort(); // tripped while connecting: the reader reports the close
        connection.Start();
        return connection;
    }

    /// <summary>Queues an action (auth, subscribe, unsubscribe). False when the queue is full or closed.</summary>
    public bool Send(string action) => _outbound.Writer.TryWrite(action);

    private void Start()
    {
        _reading = Task.Run(ReadLoopAsync);
        _ = Task.Run(ParseLoopAsync);
        _ = Task.Run(WriteLoopAsync);
    }

    private async Task ReadLoopAsync()
    {
        using var reader = new WebSocketMessageReader(_socket, MaxFrameBytes);
        try
        {
            while (true)
            {
                var outcome = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                if (outcome == ReadOutcome.Closed)
                {
                    SetClosed($"closed by upstream ({_socket.CloseStatus?.ToString() ?? "no status"} {_socket.CloseStatusDescription})", _socket.CloseStatus);
                    return;
                }
                if (outcome == ReadOutcome.TooLarge)
                {
                    _owner.Tell(new Malformed(_generation, 1));
                    continue;
                }
                _inbound.Writer.TryWrite(reader.Message.ToArray());
            }
        }
        catch (OperationCanceledException)
        {
            SetClosed(_socket.State == WebSocketState.Aborted ? "connection lost (no pong within the liveness window)" : "closed locally", null);
        }
        catch (WebSocketException e)
        {
            SetClosed($"connection lost ({e.WebSocketErrorCode})", null);
        }
        finally
        {
            // The parser reports the close after the frames read before it, so the owner sees them in order.
            _inbound.Writer.TryComplete();
        }
    }

    private async Task ParseLoopAsync()
    {
        await foreach (var frame in _inbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var result = PolygonEventParser.Parse(frame);
            var malformed = result.Malformed;
            var (aggregates, oldestEventMs) = (0, long.MaxValue);
            List<AggregateBar>? bars = null;
            foreach (var e in result.Events)
            {
                switch (e)
                {
                    case AggregateBar bar when SymbolRules.IsValid(bar.Symbol):
                        (bars ??= []).Add(bar);
                        aggregates++;
                        oldestEventMs = Math.Min(oldestEventMs, bar.End);
                        break;
                    case AggregateBar:
                        malformed++;
                        break;
                    case PolygonStatusEvent status:
                        _owner.Tell(new StatusReceived(_generation, status));
                        break;
                }
            }
            if (bars is not null) _routing.Route(bars);
            if (malformed > 0) _owner.Tell(new Malformed(_generation, malformed));
            // Once per frame: how many aggregates came, and how late the oldest of them is (receipt being when it is parsed).
            _metrics.UpstreamFrame(aggregates, oldestEventMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        if (Interlocked.Exchange(ref _closedReported, 1) == 0) _owner.Tell(new Closed(_generation, _closeReason, _closeStatus));
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var action in _outbound.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                if (!_fence.MaySend())
                {
                    SetClosed("fenced: this node may no longer hold the upstream", null);
                    _socket.Abort();
                    return;
                }
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await _socket.SendAsync(Encoding.UTF8.GetBytes(action), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Disposed: the owner let this connection go while an action was being sent.
            SetClosed("send failed", null);
            _socket.Abort();
        }
    }

    private void SetClosed(string reason, WebSocketCloseStatus? status)
    {
        lock (_inbound)
        {
            if (_closeReason != "unknown") return;
            _closeReason = reason;
            _closeStatus = status;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outbound.Writer.TryComplete();
        // A close frame is a send too: a fenced connection is cut without one.
        if (_socket.State == WebSocketState.Open && _fence.MaySend())
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
                // Complete, not fire-and-forget: the reader ends when Polygon's close frame arrives, i.e. once Polygon has
                // let this connection go (the next holder may connect right after this returns).
                await _reading.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException or InvalidOperationException) { }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        _socket.Dispose();
    }
}
