using Serilog.Events;

namespace Quotes.Host.Composition;

/// <summary>
/// The Akka log lines the host drops, each of which came on healthy nodes, so that an alert on warnings would fire on
/// every start or rolling restart:
/// <list type="bullet">
/// <item>Akka.NET 1.5.73's <c>ClusterSingletonProxy failed to find an associated singleton named […] … after 30 seconds</c>.
/// Its timer fires with no initial delay, so the line comes at every node's start and whenever the oldest member changes,
/// before the singleton could answer. <see cref="Quotes.Actors.Cluster.SingletonIdentificationWatch"/> logs a singleton
/// that is really missing for that long instead.</item>
/// <item>Akka.Remote's lines when a peer closes its connection (<c>EndpointDisassociatedException</c>): the warning
/// <c>Association with remote system … has failed; address is now gated …</c> and the error <c>Disassociated</c> that
/// follows. Every peer that leaves gracefully causes them on every node it talked to; a peer that crashes or cannot be
/// reached is reported by the cluster's own warning, <c>Marking node(s) as UNREACHABLE</c>, which stays.</item>
/// </list>
/// </summary>
public static class AkkaLogNoise
{
    private const string SingletonProxyWarning = "ClusterSingletonProxy failed to find an associated singleton";
    private const string AssociationFailed = "Association with remote system ";
    private const string Disassociated = "Akka.Remote.EndpointDisassociatedException";

    public static bool IsNoise(LogEvent logEvent) => logEvent.Level switch
    {
        LogEventLevel.Warning => logEvent.MessageTemplate.Text.StartsWith(SingletonProxyWarning, StringComparison.Ordinal)
                                 || (logEvent.MessageTemplate.Text.StartsWith(AssociationFailed, StringComparison.Ordinal)
                                     && logEvent.RenderMessage().Contains(Disassociated, StringComparison.Ordinal)),
        LogEventLevel.Error => logEvent.Exception?.GetType().FullName == Disassociated,
        _ => false,
    };
}
