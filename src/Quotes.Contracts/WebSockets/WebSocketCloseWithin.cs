using System.Net.WebSockets;

namespace Quotes.Contracts.WebSockets;

/// <summary>
/// The one way AkkaQuotes' sockets (client sessions, connection-limit refusals, the upstream, the simulator) send their close: within a
/// time limit, and a socket whose close cannot be sent (the peer is gone, or reads nothing for the whole limit) is aborted
/// rather than left open. Lives here, next to <see cref="WebSocketMessageReader"/>, because the host and the simulator both
/// reference this project and it needs nothing from ASP.NET.
/// </summary>
public static class WebSocketCloseWithin
{
    /// <summary>
    /// Sends the close frame (output only: the peer's answer is read by whoever reads the socket). True when it was sent;
    /// false when the socket was no longer open, or the close failed or took longer than <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: only <paramref name="cancel"/> ends it), in which case the socket is aborted.
    /// </summary>
    public static async Task<bool> CloseWithin(this WebSocket socket, WebSocketCloseStatus status, string? reason, TimeSpan timeout,
        CancellationToken cancel = default)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return false;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await socket.CloseOutputAsync(status, reason, limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            socket.Abort();
            return false;
        }
    }
}
