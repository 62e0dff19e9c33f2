using Akka.Actor;

namespace Quotes.Actors.Cluster;

/// <summary>How this node sees another node.</summary>
public enum Sight
{
    /// <summary>A member whose heartbeats this node hears (or one it does not monitor), or this node itself.</summary>
    InSight,

    /// <summary>No longer a member: it left, or was downed and removed.</summary>
    Gone,

    /// <summary>A member whose heartbeats this node's own failure detector has missed.</summary>
    Unreachable,
}

/// <summary>
/// How this node sees another node, by this node's own view: Akka's <c>UnreachableMember</c> event fires when any member
/// loses sight of a node, and a node paused for a moment would then turn every node's clients and probes to
/// "reconnecting" while their quotes still flow. A member this node does not monitor (past
/// <c>akka.cluster.failure-detector.monitored-by-nr-of-members</c>, 9 by default) counts as in sight.
/// </summary>
public static class NodeSight
{
    /// <summary>The check for <paramref name="system"/>; outside a cluster (a plain actor system in specs) every node is in sight.</summary>
    public static Func<Address, Sight> Of(ActorSystem system)
    {
        if (system is not ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider }) return _ => Sight.InSight;
        var cluster = Akka.Cluster.Cluster.Get(system);
        return node => node.HasLocalScope ? Sight.InSight
            : !cluster.State.Members.Any(m => m.Address == node) ? Sight.Gone
            : cluster.FailureDetector.IsAvailable(node) ? Sight.InSight
            : Sight.Unreachable;
    }
}
