using System.Net.WebSockets;
using Akka.Actor;
using Quotes.Actors.Outbox;

namespace Quotes.Actors.Sessions;

/// <summary>The close reasons sessions send (the WebSocket close frame's text), shared with <see cref="SocketCounters"/>.</summary>
public static class SessionCloses
{
    public const string TooManyRequests = "too many requests";
    public const string AuthTimeout = "auth timeout";
    public const string ShuttingDown = "server shutting down";

    /// <summary>
    /// A session actor stopped: its writer sends what is queued and stops. When the actor system is going down without
    /// the host stopping first (a node the cluster downed shuts itself down), the client gets the protocol's 1001 and
    /// reconnects elsewhere, not a connection cut without a close frame (1006).
    /// </summary>
    public static void Stopped(SessionOutbox outbox, ActorSystem system) =>
        outbox.Complete(CoordinatedShutdown.Get(system).ShutdownReason is null ? null : (int)WebSocketCloseStatus.EndpointUnavailable, ShuttingDown);
}
