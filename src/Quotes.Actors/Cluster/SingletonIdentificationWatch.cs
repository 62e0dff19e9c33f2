using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Warns when a cluster singleton proxy has really not found its singleton for the failure period, in place of the
/// proxy's own warning, which the host's log drops (<c>AkkaLogNoise</c> in <c>Quotes.Host</c>).
/// <para>
/// Why: Akka.NET 1.5.73's <see cref="ClusterSingletonProxy"/> starts its identification-failure timer with no initial
/// delay, so its first "failed to find an associated singleton … after 30 seconds" fires the moment identification starts:
/// at every node's start and whenever the oldest member changes (this node leaving included), before the singleton could
/// possibly answer. The proxy publishes each tick as <see cref="ClusterSingletonProxy.IdentifySingletonResult"/>; this
/// actor ignores a spell's first timeout and warns only when the singleton is still missing a failure period after it,
/// which is what the proxy means to report.
/// </para>
/// </summary>
public sealed class SingletonIdentificationWatch : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, DateTime> _missingSince = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <param name="now">The clock (UTC); specs pass their own.</param>
    public SingletonIdentificationWatch(TimeSpan failurePeriod, Func<DateTime> now)
    {
        Receive<ClusterSingletonProxy.IdentifySingletonResult>(result =>
        {
            var name = result.SingletonName;
            if (result.Result == ClusterSingletonProxy.IdentifyResult.Success)
            {
                if (_warned.Remove(name) && _missingSince.TryGetValue(name, out var lost))
                    _log.Info("Singleton {Singleton} identified again after {Seconds:0} s", name, (now() - lost).TotalSeconds);
                _missingSince.Remove(name);
                return;
            }
            var at = now();
            if (!_missingSince.TryGetValue(name, out var since))
            {
                _missingSince[name] = at; // the tick that fires as identification starts: not a failure yet
                return;
            }
            // Timer ticks may come a little early; a restart of identification (the oldest member changed) ticks at once.
            if (at - since < failurePeriod * 0.9) return;
            _warned.Add(name);
            _log.Warning("No {Singleton} singleton found in role {Role} for {Seconds:0} s: messages to it are buffered until it is",
                name, result.Role, (at - since).TotalSeconds);
        });
    }
}

/// <summary>Starts this node's <see cref="SingletonIdentificationWatch"/>.</summary>
public static class SingletonIdentificationWatchExtensions
{
    /// <summary>Subscribes the watch at once, before any proxy can publish (an actor subscribing itself would come later).</summary>
    public static void StartSingletonIdentificationWatch(this ActorSystem system)
    {
        var period = ClusterSingletonProxySettings.Create(system).SingletonIdentificationFailurePeriod;
        var watch = system.ActorOf(Props.Create(() => new SingletonIdentificationWatch(period, () => DateTime.UtcNow)), "singleton-identification-watch");
        system.EventStream.Subscribe(watch, typeof(ClusterSingletonProxy.IdentifySingletonResult));
    }
}
