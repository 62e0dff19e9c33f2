using System.Buffers;
using System.Net.WebSockets;
using Quotes.Actors.Sessions;

namespace Quotes.Host.WebSockets;

/// <summary>
/// The single writer of one client socket: drains the outbox into one JSON-array frame at a time and sends it with a
/// timeout. A client that accepts nothing for the whole timeout is cut off; one whose control queue overflowed is closed
/// with 1008. When the server stops, the socket is closed with 1001 so the client reconnects elsewhere.
/// </summary>
public static class SocketWriter
{
    public static async Task RunAsync(WebSocket socket, SessionOutbox outbox, TimeSpan sendTimeout, CancellationToken stopping, ILogger log)
    {
        var frame = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (await outbox.WaitAsync(stopping).ConfigureAwait(false))
            {
                frame.ResetWrittenCount();
                if (outbox.DrainTo(frame) == 0) continue;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(sendTimeout);
                await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            }

            if (outbox.Overflowed)
            {
                if (outbox.OverflowNotice is { } notice) await TrySendAsync(socket, notice).ConfigureAwait(false);
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "slow consumer").ConfigureAwait(false);
            }
            else if (outbox.CloseWith is { } close) await CloseAsync(socket, (WebSocketCloseStatus)close.Code, close.Reason).ConfigureAwait(false);
            else if (socket.State == WebSocketState.CloseReceived) await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await CloseAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "server shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            log.LogInformation("Closed a slow consumer: no frame accepted within {Timeout}", sendTimeout);
            socket.Abort();
        }
        catch (WebSocketException)
        {
            // The peer went away; the reader sees the same and ends the session.
        }
    }

    private static async Task TrySendAsync(WebSocket socket, byte[] frame)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string? reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            socket.Abort();
        }
    }
}
