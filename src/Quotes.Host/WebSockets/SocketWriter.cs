using System.Net.WebSockets;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Actors.Telemetry;
using Quotes.Contracts.WebSockets;

namespace Quotes.Host.WebSockets;

/// <summary>
/// The single writer of one client socket: drains the outbox into one JSON-array frame at a time and sends it.
/// A client that accepts nothing for the whole send timeout while data is pending is a slow consumer: the writer stops
/// taking from the outbox, queues a 1008 <c>slow consumer</c> close behind the stuck frame and gives the client a short
/// grace to read up to it; a client that still reads nothing is cut off. One whose control queue overflowed is closed
/// with 1008 too. When the server stops, the socket is closed with 1001 so the client reconnects elsewhere.
/// Each frame is counted once (frames, bytes, quotes conflated meanwhile, end-to-end latency), and how the socket ended
/// once (<see cref="SocketCounters"/>).
/// </summary>
public static class SocketWriter
{
    /// <summary>How long a slow consumer has to read up to its 1008 close before the connection is dropped.</summary>
    public static readonly TimeSpan SlowConsumerGrace = TimeSpan.FromSeconds(5);

    /// <param name="closeWait">How long a client has to answer a close the server sent before the connection is dropped (<c>Limits:CloseHandshakeTimeout</c>).</param>
    /// <returns>Whether the server ended the connection (and counted why); false when the peer did, which the caller counts:
    /// only its reader knows whether the client went away or stopped answering pings.</returns>
    public static async Task<bool> RunAsync(WebSocket socket, SessionOutbox outbox, TimeSpan sendTimeout, TimeSpan closeWait, QuotesMetrics metrics,
        CancellationToken stopping, ILogger log)
    {
        var frame = new PooledFrameWriter();
        var conflated = 0L;
        SocketCloseReason? ended = null; // a reason of the server's own; none: the peer ended it
        try
        {
            while (await outbox.WaitAsync(stopping).ConfigureAwait(false))
            {
                if (outbox.DrainTo(frame) == 0) continue;
                var conflatedNow = outbox.Conflated;
                metrics.FrameSent(frame.WrittenMemory.Length, conflatedNow - conflated, outbox.OldestEventMs);
                conflated = conflatedNow;
                // Not cancellable: cancelling a WebSocket send aborts the socket, and a slow consumer should get its 1008.
                var send = socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None);
                if (send.IsCompletedSuccessfully)
                {
                    frame.Release();
                    continue;
                }
                // From here the buffer may still be in use by a send we give up on: it goes to the GC, not back to the pool.
                // WaitAsync drops its timer as soon as the send completes (no 30 s timer left behind per pending send).
                var sending = send.AsTask();
                try
                {
                    await sending.WaitAsync(sendTimeout, stopping).ConfigureAwait(false);
                }
                catch (TimeoutException) when (socket.State == WebSocketState.Aborted)
                {
                    Observe(sending);
                    return false; // gone under the send (the keep-alive gave up on it): the peer's end, counted by the reader
                }
                catch (TimeoutException)
                {
                    await CloseSlowConsumerAsync(socket, outbox, sending, sendTimeout, closeWait, metrics.Sockets, log).ConfigureAwait(false);
                    return true; // counted when it was found
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    Observe(sending); // it fails when the 1001 close gives up and aborts
                    throw;
                }
                frame.Release();
            }

            if (outbox.Overflowed)
            {
                ended = SocketCloseReason.SlowConsumer;
                if (outbox.OverflowNotice is { } notice) await TrySendAsync(socket, notice).ConfigureAwait(false);
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "slow consumer", closeWait).ConfigureAwait(false);
            }
            else if (outbox.CloseWith is { } close)
            {
                ended = SocketCounters.ForSessionClose(close.Reason);
                await CloseAsync(socket, (WebSocketCloseStatus)close.Code, close.Reason, closeWait).ConfigureAwait(false);
            }
            else if (socket.State == WebSocketState.CloseReceived) await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, null, closeWait).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            ended = SocketCloseReason.Shutdown;
            await CloseAsync(socket, WebSocketCloseStatus.EndpointUnavailable, SessionCloses.ShuttingDown, closeWait).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // The peer went away; the reader sees the same and ends the session.
        }
        catch (OperationCanceledException)
        {
            // Not the node stopping: the socket was aborted under a send (the keep-alive, or the connection reset). The
            // peer's end, which the reader counts.
        }
        finally
        {
            if (ended is { } reason) metrics.Sockets.End(reason);
            metrics.Conflated(outbox.Conflated - conflated); // a stuck client's conflations never reached a frame
        }
        return ended is not null;
    }

    private static async Task CloseSlowConsumerAsync(WebSocket socket, SessionOutbox outbox, Task stuck, TimeSpan sendTimeout, TimeSpan closeWait,
        SocketCounters counters, ILogger log)
    {
        counters.End(SocketCloseReason.SlowConsumer);
        outbox.Complete();
        log.LogInformation("Closing a slow consumer with 1008: no frame accepted within {Timeout}", sendTimeout);
        // The close frame is sent after the stuck frame (WebSocket sends are serialised), so a client that resumes
        // reading gets everything up to it and then the 1008. The grace covers both; a client that read nothing even
        // then is cut off.
        var closed = await socket.CloseWithin(WebSocketCloseStatus.PolicyViolation, "slow consumer", SlowConsumerGrace).ConfigureAwait(false);
        Observe(stuck);
        if (closed) DropUnlessClosedWithin(socket, closeWait);
    }

    private static void DropUnlessClosedWithin(WebSocket socket, TimeSpan wait)
    {
        if (socket.State == WebSocketState.Closed) return;
        _ = Task.Delay(wait).ContinueWith(_ =>
        {
            if (socket.State != WebSocketState.Closed) socket.Abort();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private static void Observe(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static async Task TrySendAsync(WebSocket socket, byte[] frame)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    /// <summary>Closes within 2 s (aborting otherwise), then gives the client <paramref name="closeWait"/> to answer.</summary>
    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string? reason, TimeSpan closeWait)
    {
        if (await socket.CloseWithin(status, reason, TimeSpan.FromSeconds(2)).ConfigureAwait(false))
            DropUnlessClosedWithin(socket, closeWait);
    }
}
