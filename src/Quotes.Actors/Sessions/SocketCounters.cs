using Quotes.Actors.Outbox;

namespace Quotes.Actors.Sessions;

/// <summary>Which client WebSocket a connection came in on.</summary>
public enum SocketEndpoint
{
    /// <summary><c>/ws</c> (and its alias <c>/api/socket</c>): AkkaQuotes' own protocol.</summary>
    Quotes,
    /// <summary><c>/polygon/stocks</c>: the Polygon-compatible façade.</summary>
    Polygon,
}

/// <summary>Why a client socket ended (the <c>reason</c> of <c>quotes.socket.closes</c>).</summary>
public enum SocketCloseReason
{
    /// <summary>The client closed or went away.</summary>
    Client,
    /// <summary>1008 <c>slow consumer</c>: nothing accepted for the send timeout, or its reply queue overflowed.</summary>
    SlowConsumer,
    /// <summary>1013: refused at the node's or the key's connection limit.</summary>
    Limits,
    /// <summary>1008 <c>too many requests</c>: sustained commands past <c>RATE_LIMITED</c>.</summary>
    RateLimit,
    /// <summary>1008 <c>auth timeout</c>: a Polygon-protocol client that never authenticated.</summary>
    AuthTimeout,
    /// <summary>1001: the node is shutting down.</summary>
    Shutdown,
    /// <summary>No pong to the server's ping within <c>Limits:PongTimeout</c>: the connection was dropped, with no close frame.</summary>
    KeepAlive,
}

/// <summary>
/// Node-wide counts of client sockets: open ones per endpoint and how the others ended. Written by the socket loops
/// (one increment per connect or close, never per message); read by <c>/admin/cluster</c> (through the hub's report),
/// by the <c>/metrics</c> gauges (<see cref="Telemetry.QuotesMetrics"/>) and by tests.
/// </summary>
public sealed class SocketCounters
{
    private static readonly int Endpoints = Enum.GetValues<SocketEndpoint>().Length;
    private static readonly int Reasons = Enum.GetValues<SocketCloseReason>().Length;

    private readonly long[] _open = new long[Endpoints];
    private readonly long[] _ended = new long[Reasons];

    /// <summary>Clients closed with 1008 <c>slow consumer</c> (or cut off after it): they accepted nothing for the send timeout or stopped reading replies.</summary>
    public long SlowConsumersClosed => Ended(SocketCloseReason.SlowConsumer);

    /// <summary>Client sockets open on this node now, on <paramref name="endpoint"/>.</summary>
    public long Open(SocketEndpoint endpoint) => Interlocked.Read(ref _open[(int)endpoint]);

    /// <summary>Client sockets that ended for <paramref name="reason"/> since the node started.</summary>
    public long Ended(SocketCloseReason reason) => Interlocked.Read(ref _ended[(int)reason]);

    public void Opened(SocketEndpoint endpoint) => Interlocked.Increment(ref _open[(int)endpoint]);

    public void Left(SocketEndpoint endpoint) => Interlocked.Decrement(ref _open[(int)endpoint]);

    /// <summary>Counts how one socket ended (exactly once per socket).</summary>
    public void End(SocketCloseReason reason) => Interlocked.Increment(ref _ended[(int)reason]);

    /// <summary>The reason for a close a session asked for (<see cref="SessionOutbox.CloseWith"/>).</summary>
    public static SocketCloseReason ForSessionClose(string reason) => reason switch
    {
        SessionCloses.TooManyRequests => SocketCloseReason.RateLimit,
        SessionCloses.AuthTimeout => SocketCloseReason.AuthTimeout,
        SessionCloses.ShuttingDown => SocketCloseReason.Shutdown,
        _ => SocketCloseReason.Client,
    };
}
