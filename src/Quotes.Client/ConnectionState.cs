using System.Net.WebSockets;

namespace Quotes.Client;

/// <summary>Where a <see cref="QuotesClient"/>'s connection is.</summary>
public enum ConnectionState
{
    /// <summary>Not started: <see cref="QuotesClient.ConnectAsync"/> not called yet (or given up by cancelling it).</summary>
    Disconnected,
    /// <summary>Opening a WebSocket.</summary>
    Connecting,
    /// <summary>The server said <c>welcome</c>; requests go out at once.</summary>
    Open,
    /// <summary>The connection dropped; the client waits <see cref="ConnectionStateChangedEventArgs.Delay"/> and connects again.</summary>
    Reconnecting,
    /// <summary>For good: the client was disposed, the server refused its key, or the connection loop itself failed (the change's error says why).</summary>
    Closed,
}

/// <summary>
/// A change of <see cref="QuotesClient.State"/>. On <see cref="ConnectionState.Reconnecting"/>: the wait before the next
/// attempt, the close code the server sent (1001 when a node shuts down: the client waits the first step only, jittered, unless 1001s keep coming with no
/// connection that stayed up 30 s between them) and the error that
/// ended the attempt, if any.
/// </summary>
public sealed class ConnectionStateChangedEventArgs(ConnectionState state, TimeSpan? delay = null, WebSocketCloseStatus? closeStatus = null,
    Exception? error = null) : EventArgs
{
    public ConnectionState State { get; } = state;
    public TimeSpan? Delay { get; } = delay;
    public WebSocketCloseStatus? CloseStatus { get; } = closeStatus;
    public Exception? Error { get; } = error;
}
