using System.Net.Sockets;
using Serilog.Events;

namespace Quotes.Host.Bootstrap;

/// <summary>
/// Keeps a healthy start quiet. While nodes start together, bootstrap probes peers whose management port is not open
/// yet, and Akka logs each refused connection as a warning with a stack trace, once a second per peer, until the peer
/// listens. Only those are dropped: a peer that answers wrongly or too late is still a warning, and one that never
/// opens its port shows in bootstrap's own lines ("Discovered [3] contact points, confirmed [2] …, retrying").
/// </summary>
public static class BootstrapLogFilter
{
    public static bool IsPeerNotListeningYet(LogEvent e) =>
        e.Level == LogEventLevel.Warning && e.Exception is { } error && Refused(error)
        && e.RenderMessage().StartsWith("Probing [", StringComparison.Ordinal);

    private static bool Refused(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(Refused),
        _ => error.InnerException is { } inner && Refused(inner),
    };
}
