using Akka.Discovery.Config.Hosting;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;

namespace Quotes.Actors.Cluster.Bootstrap;

/// <summary>
/// Akka's cluster bootstrap with the discovery <see cref="BootstrapOptions"/> name. It is not started here: Akka
/// Management's own HTTP server cannot run with the dependencies served to this project, so the host serves the one
/// route bootstrap needs on Kestrel and then starts it (see <c>Quotes.Host.Bootstrap.ManagementServer</c>).
/// </summary>
public static class ClusterBootstrapExtensions
{
    /// <summary>
    /// The port name passed to discovery. Set so bootstrap keeps every contact point found: without a port name it
    /// keeps one per host, and the nodes of a local cluster share a host.
    /// </summary>
    public const string PortName = "management";

    /// <summary>
    /// How often each contact point is asked for its view of the cluster. One small GET per contact point: cheap, and
    /// a cluster forms seconds sooner than with Akka's 5 s.
    /// </summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    public static AkkaConfigurationBuilder AddQuotesBootstrap(this AkkaConfigurationBuilder builder, BootstrapOptions options,
        KubernetesApiSettings? kubernetes)
    {
        builder.WithClusterBootstrap(bootstrap =>
        {
            bootstrap.ContactPointDiscovery.ServiceName = options.ServiceName;
            bootstrap.ContactPointDiscovery.PortName = PortName;
            bootstrap.ContactPointDiscovery.RequiredContactPointsNr = options.RequiredContactPoints;
            bootstrap.ContactPointDiscovery.StableMargin = options.StableMargin;
            bootstrap.ContactPoint.ProbeInterval = ProbeInterval;
        }, autoStart: false);

        if (options.Discovery == BootstrapOptions.KubernetesDiscovery)
            return builder.AddHocon(
                (kubernetes ?? throw new ArgumentNullException(nameof(kubernetes), "kubernetes discovery needs the API settings")).ToHocon(),
                HoconAddMode.Prepend);
        return builder.WithConfigDiscovery(discovery =>
            discovery.Services.Add(new Service { Name = options.ServiceName, Endpoints = options.Endpoints }));
    }
}
