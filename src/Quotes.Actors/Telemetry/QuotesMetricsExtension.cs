using Akka.Actor;
using Akka.DependencyInjection;

namespace Quotes.Actors.Telemetry;

/// <summary>
/// Hands each actor system its node's <see cref="QuotesMetrics"/>: the host's instance from Akka.Hosting's service
/// provider, so actors count without taking it through their constructors, and several nodes in one process each
/// count their own.
/// </summary>
public sealed class QuotesMetricsExtension(QuotesMetrics metrics) : IExtension
{
    public QuotesMetrics Metrics { get; } = metrics;
}

/// <summary>Creates the <see cref="QuotesMetricsExtension"/> of an actor system on first use.</summary>
public sealed class QuotesMetricsExtensionId : ExtensionIdProvider<QuotesMetricsExtension>
{
    public override QuotesMetricsExtension CreateExtension(ExtendedActorSystem system)
    {
        var hosted = system.Settings.Setup.Get<DependencyResolverSetup>().HasValue
            ? DependencyResolver.For(system).Resolver.GetService<QuotesMetrics>()
            : null;
        if (hosted is not null) return new QuotesMetricsExtension(hosted); // the host disposes it
        var detached = QuotesMetrics.Detached();
        system.RegisterOnTermination(detached.Dispose);
        return new QuotesMetricsExtension(detached);
    }
}
