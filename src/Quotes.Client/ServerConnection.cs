using System.Net.WebSockets;

namespace Quotes.Client;

/// <summary>
/// One open WebSocket to the server, numbered so that requests know whether they went out on it. Sends are one at a time
/// (a WebSocket allows one send beside one receive) and never take a caller's token: cancelling a WebSocket send aborts
/// the socket, which must not happen because one caller gave up waiting.
/// </summary>
internal sealed class ServerConnection(ClientWebSocket socket, long number, Resubscription resubscription, CancellationToken ended)
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _sending = new(1, 1);

    public long Number { get; } = number;
    public ClientWebSocket Socket { get; } = socket;

    /// <summary>The subscribe of every held symbol sent on this connection's <c>welcome</c>, and its retries.</summary>
    public Resubscription Resubscription { get; } = resubscription;

    /// <summary>Cancelled once the connection is over: what waits to be sent on it (a resubscribe to retry) gives up.</summary>
    public CancellationToken Ended { get; } = ended;

    /// <summary>Why the client dropped this connection itself, if it did.</summary>
    public Exception? DroppedBecause { get; private set; }

    /// <summary>Drops the connection at once (the reader fails with <paramref name="reason"/>).</summary>
    public void Drop(Exception reason)
    {
        DroppedBecause = reason;
        Socket.Abort();
    }

    public async Task SendAsync(byte[] message)
    {
        await _sending.WaitAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(SendTimeout); // a server that reads nothing: the socket is aborted
            await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends the close frame (the reader then gets the server's answer and ends); false when that was not possible.</summary>
    public async Task<bool> TryCloseAsync(WebSocketCloseStatus status, string reason, TimeSpan wait)
    {
        if (Socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return false;
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _sending.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            await Socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sending.Release();
        }
    }
}
