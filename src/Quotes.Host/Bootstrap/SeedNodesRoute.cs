using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Newtonsoft.Json;

namespace Quotes.Host.Bootstrap;

/// <summary>
/// <c>GET /bootstrap/seed-nodes</c>: this node's view of the cluster, as cluster bootstrap's probes on the other nodes
/// read it (their JSON, written with the serializer they read it with). The same answer as Akka Management's own route.
/// </summary>
public static class SeedNodesRoute
{
    public const string Path = "/bootstrap/seed-nodes";

    public static IResult Answer(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var self = cluster.SelfMember;
        // Not a member (yet, or any more): no seed nodes, but 200 all the same. The probe counts any answer as this contact
        // point being reachable, and a new cluster forms only once every contact point has answered.
        var members = self.Status is MemberStatus.Removed or MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving
            ? ImmutableList<HttpBootstrapJsonProtocol.ClusterMember>.Empty
            : Reachable(cluster.State);
        var body = JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(self.Address, members));
        return Results.Content(body, "application/json");
    }

    private static ImmutableList<HttpBootstrapJsonProtocol.ClusterMember> Reachable(ClusterEvent.CurrentClusterState state) =>
        state.Members
            .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
            .ToImmutableList();
}
