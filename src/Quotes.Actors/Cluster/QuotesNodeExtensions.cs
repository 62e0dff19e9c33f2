using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using Quotes.Actors.Fanout;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Everything an AkkaQuotes node runs: the cross-node serializer, remoting, cluster membership, the symbol region, the
/// upstream singleton, the hub.
/// </summary>
public static class QuotesNodeExtensions
{
    public static AkkaConfigurationBuilder AddQuotesNode(this AkkaConfigurationBuilder builder, AkkaNodeOptions node) =>
        builder
            .AddQuotesSerializer()
            .WithRemoting(RemotingFor(node))
            .WithClustering(new ClusterOptions { Roles = [AkkaNodeOptions.Role], SeedNodes = node.EffectiveSeeds, AppVersion = NodeBatches.AppVersion })
            .WithActors((system, _) =>
            {
                // No seeds and no bootstrap: this node is a one-member cluster of its own.
                var cluster = Akka.Cluster.Cluster.Get(system);
                if (node.Standalone) cluster.Join(cluster.SelfAddress);
                system.ActorOf(Akka.Actor.Props.Create<TwoNodeWarning>(), "two-node-warning");
                if (!node.Bootstrap.Enabled && SoleSeed.FormsItsOwnCluster(node.EffectiveSeeds, cluster.SelfAddress))
                    system.ActorOf(Akka.Actor.Props.Create<SoleSeedWarning>(), "sole-seed-warning");
                system.StartSingletonIdentificationWatch();
            })
            .AddSymbolRegion(AkkaNodeOptions.Role, node.Shards)
            .AddUpstreamSingleton(AkkaNodeOptions.Role)
            .AddNodeHub()
            .AddNodeGauges()
            .AddLastNodeShutdown();

    private static RemoteOptions RemotingFor(AkkaNodeOptions node)
    {
        var remote = new RemoteOptions
        {
            HostName = node.EffectiveHostname,
            Port = node.EffectivePort,
            PublicHostName = node.EffectivePublicHost,
        };
        if (!node.Tls.Enabled) return remote;
        var certificate = node.Tls.LoadCertificate();
        remote.EnableSsl = true;
        remote.Ssl = new SslOptions
        {
            X509Certificate = certificate,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = false,
            // Replaces chain validation: a pinned certificate needs no CA, and nothing else gets in.
            CustomValidator = CertificateValidation.PinnedCertificate(node.Tls.EffectiveThumbprints(certificate)),
        };
        return remote;
    }

    /// <summary>Binds every <see cref="IQuotesMessage"/> to <see cref="QuotesSerializer"/> (see <see cref="QuotesSerialization"/>).</summary>
    public static AkkaConfigurationBuilder AddQuotesSerializer(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(QuotesSerialization.Alias, QuotesSerialization.BoundTypes, QuotesSerialization.Create);
}
