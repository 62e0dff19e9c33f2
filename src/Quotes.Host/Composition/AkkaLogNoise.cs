using Serilog.Events;

namespace Quotes.Host.Composition;

/// <summary>
/// The one Akka log line the host drops: Akka.NET 1.5.73's <c>ClusterSingletonProxy failed to find an associated singleton
/// named […] … after 30 seconds</c>. Its timer fires with no initial delay, so the line comes at every node's start and
/// whenever the oldest member changes, before the singleton could answer, and an alert on warnings would fire on every
/// healthy start. <see cref="Quotes.Actors.Cluster.SingletonIdentificationWatch"/> logs a singleton that is really
/// missing for that long instead.
/// </summary>
public static class AkkaLogNoise
{
    private const string SingletonProxyWarning = "ClusterSingletonProxy failed to find an associated singleton";

    public static bool IsNoise(LogEvent logEvent) =>
        logEvent.Level == LogEventLevel.Warning && logEvent.MessageTemplate.Text.StartsWith(SingletonProxyWarning, StringComparison.Ordinal);
}
