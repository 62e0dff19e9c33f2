using System.Net.WebSockets;
using System.Text;
using Akka;
using Akka.Util;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts.WebSockets;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// The WebSocket to Polygon, as the pipeline's resource: read one message at a time (the socket source), send one action at
/// a time (the socket sink), close once. Nothing is written while the <see cref="UpstreamFence"/> refuses.
/// </summary>
public sealed class PolygonSocket
{
    /// <summary>How long a polite close (close frame, then Polygon's answer) may take before the socket is cut.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly UpstreamFence _fence;
    private readonly WebSocketMessageReader _reader;
    private readonly int _maxFrameBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private Task<Done>? _closing;
    private Task _reading = Task.CompletedTask;
    private string? _closeReason;
    private WebSocketCloseStatus? _closeStatus;

    private PolygonSocket(ClientWebSocket socket, UpstreamFence fence, int maxFrameBytes)
    {
        _socket = socket;
        _fence = fence;
        _maxFrameBytes = maxFrameBytes;
        _reader = new WebSocketMessageReader(socket, maxFrameBytes);
    }

    /// <summary>Why the connection ended (safe to log), or null while it has not.</summary>
    public string? CloseReason { get { lock (_lock) return _closeReason; } }

    /// <summary>The close status Polygon sent, when it closed with a handshake.</summary>
    public WebSocketCloseStatus? CloseStatus { get { lock (_lock) return _closeStatus; } }

    /// <summary>
    /// Connects; the caller owns the result and must close it. Messages past <paramref name="maxFrameBytes"/>
    /// (<c>Polygon:MaxFrameBytes</c>) are drained unread and counted malformed.
    /// </summary>
    /// <remarks>
    /// Liveness: .NET sends a ping only after <see cref="QuotesOptions.PingInterval"/> without any inbound frame, and aborts
    /// the socket when its pong does not come within <see cref="QuotesOptions.LivenessTimeout"/>. So data counts as life,
    /// and a silent, pong-less connection is detected within interval + timeout.
    /// </remarks>
    public static async Task<PolygonSocket> ConnectAsync(Uri uri, QuotesOptions settings, UpstreamFence fence, int maxFrameBytes = PolygonOptions.DefaultMaxFrameBytes)
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
        var connected = new PolygonSocket(socket, fence, maxFrameBytes);
        if (!fence.MaySend()) connected.Abort("fenced while connecting"); // tripped meanwhile: the first read fails
        return connected;
    }

    /// <summary>The next message; none once Polygon closed. Throws when the connection is lost (the pipeline then ends).</summary>
    public Task<Option<InboundFrame>> ReadAsync()
    {
        var read = ReadOnceAsync();
        _reading = read;
        return read;
    }

    private async Task<Option<InboundFrame>> ReadOnceAsync()
    {
        try
        {
            var outcome = await _reader.ReadAsync(_stop.Token).ConfigureAwait(false);
            if (outcome == ReadOutcome.Closed)
            {
                Ended($"closed by upstream ({_socket.CloseStatus?.ToString() ?? "no status"} {_socket.CloseStatusDescription})", _socket.CloseStatus);
                return Option<InboundFrame>.None;
            }
            if (outcome == ReadOutcome.TooLarge) return Option<InboundFrame>.Create(InboundFrame.Skip($"a message over {_maxFrameBytes} bytes"));
            if (_reader.MessageType == WebSocketMessageType.Binary) return Option<InboundFrame>.Create(InboundFrame.Skip("a binary message"));
            return Option<InboundFrame>.Create(InboundFrame.Of(_reader.Message.ToArray()));
        }
        catch (OperationCanceledException e)
        {
            var reason = _socket.State == WebSocketState.Aborted ? "connection lost (no pong within the liveness window)" : "closed locally";
            Ended(reason, null);
            // Faulted, never canceled: the socket source treats a canceled read as a failure without an exception, and hangs.
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, reason, e);
        }
        catch (WebSocketException e)
        {
            Ended($"connection lost ({e.WebSocketErrorCode})", null);
            throw;
        }
    }

    /// <summary>Sends one action; refused by the fence, or failing, it cuts the socket (the reader then ends the pipeline).</summary>
    public async Task SendAsync(string action)
    {
        if (!_fence.MaySend())
        {
            Abort("fenced: this node may no longer hold the upstream");
            throw new InvalidOperationException("fenced: nothing may be sent");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await _socket.SendAsync(Encoding.UTF8.GetBytes(action), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            Abort("send failed");
            // Faulted, never canceled (as for reads): a stage that awaits a canceled task fails without an exception.
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "send failed", e);
        }
    }

    /// <summary>Cuts the socket at once, without a close frame (the fence's cut, a failed send).</summary>
    public void Abort(string reason = "cut")
    {
        Ended(reason, null);
        _socket.Abort();
    }

    /// <summary>
    /// Closes once, whoever asks first (the socket source as its stage stops, the holder on hand-over): a close frame and
    /// Polygon's answer within <see cref="CloseTimeout"/> (so the next holder may connect once this completes), then cut.
    /// A fenced connection is cut without a close frame: a close frame is a send too.
    /// </summary>
    public Task<Done> CloseAsync()
    {
        lock (_lock) return _closing ??= CloseOnceAsync();
    }

    private async Task<Done> CloseOnceAsync()
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        // The close frame the one way sockets here send it (aborted if it cannot go out in time), then Polygon's answer
        // within what is left of the same time.
        if (_socket.State == WebSocketState.Open && _fence.MaySend()
            && await _socket.CloseWithin(WebSocketCloseStatus.NormalClosure, "bye", CloseTimeout, timeout.Token).ConfigureAwait(false))
        {
            try
            {
                // Polygon's close frame ends a read still pending; without one, read here until it comes.
                try { await _reading.WaitAsync(timeout.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException and not TimeoutException) { }
                var scratch = new byte[1024];
                while (_socket.State == WebSocketState.CloseSent)
                    await _socket.ReceiveAsync(scratch.AsMemory(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException or InvalidOperationException) { }
        }
        Ended("closed locally", null);
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        _socket.Dispose();
        _reader.Dispose();
        return Done.Instance;
    }


    private void Ended(string reason, WebSocketCloseStatus? status)
    {
        lock (_lock)
        {
            if (_closeReason is not null) return;
            _closeReason = reason;
            _closeStatus = status;
        }
    }
}
