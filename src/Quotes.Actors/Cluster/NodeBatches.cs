using Akka.Actor;
using Akka.Util;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Which nodes read the per-node batches (<see cref="Messages.SymbolProtocol.AggregateBatch"/>,
/// <see cref="Messages.SymbolProtocol.InterestRenewals"/>): those that announce at least <see cref="AppVersion"/> as their
/// cluster app version. A new message kind may be sent only to nodes that know it, so during a rolling upgrade from a
/// version without them the old nodes keep getting one message per aggregate and per renewal, as before.
/// </summary>
public static class NodeBatches
{
    /// <summary>The app version every node of this build announces (<c>akka.cluster.app-version</c>).</summary>
    public const string AppVersion = "1.5.0";

    /// <summary>The first version that reads the batches.</summary>
    private static readonly Akka.Util.AppVersion First = Akka.Util.AppVersion.Create("1.1.0");

    /// <summary>The first version whose inbox answers an asked <see cref="Messages.SymbolProtocol.AggregateBatch"/> with an ack.</summary>
    private static readonly Akka.Util.AppVersion FirstAcking = Akka.Util.AppVersion.Create("1.2.0");

    /// <summary>The first version whose hub reads a leaving node's <see cref="Messages.HubProtocol.Bequest"/>.</summary>
    private static readonly Akka.Util.AppVersion FirstTakingBequests = Akka.Util.AppVersion.Create("1.5.0");

    /// <summary>The path of every node's <see cref="Symbols.SymbolInbox"/>.</summary>
    public static ActorPath InboxOf(Address node) => new RootActorPath(node) / "user" / Symbols.SymbolInbox.Name;

    /// <summary>
    /// Whether every member of the cluster reads the batches (the upstream singleton may move to any of them). False
    /// outside a cluster (a plain actor system in unit specs).
    /// </summary>
    public static bool ReadByAll(ActorSystem system)
    {
        if (system is not ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider }) return false;
        foreach (var member in Akka.Cluster.Cluster.Get(system).State.Members)
            if (member.AppVersion.CompareTo(First) < 0) return false;
        return true;
    }

    /// <summary>
    /// Whether the member at <paramref name="node"/> is up (or weakly up) in this node's view and reads the batches. A member
    /// that is leaving or exiting is not: its region stopped before it left (coordinated shutdown hands its shards off
    /// first), and its inbox may be gone before it is removed, so what is meant for its former entities goes through this
    /// node's region, which knows their new homes. (Until this node sees it leave, the leaving node's inbox passes what
    /// it still gets on to the sender's inbox: <see cref="Symbols.SymbolInbox"/>.)
    /// </summary>
    public static bool Reads(ActorSystem system, Address node) => MemberAt(system, node) is { } member && UpAtLeast(member, First);

    /// <summary>
    /// Whether the member at <paramref name="node"/> answers an asked batch with <see cref="Messages.SymbolProtocol.AggregateBatchAck"/>.
    /// An older one (a rolling upgrade) is told its batches: asking it would stall the upstream for the ask's timeout each time.
    /// </summary>
    public static bool Acks(ActorSystem system, Address node) => MemberAt(system, node)?.AppVersion.CompareTo(FirstAcking) >= 0;

    /// <summary>
    /// The other members, up (or weakly up), whose hub reads a <see cref="Messages.HubProtocol.Bequest"/>: an older one would
    /// drop it with a serialization error. None outside a cluster.
    /// </summary>
    public static IEnumerable<Address> ReadsBequests(ActorSystem system)
    {
        if (system is not ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider }) return [];
        var cluster = Akka.Cluster.Cluster.Get(system);
        return cluster.State.Members.Where(m => m.Address != cluster.SelfAddress && UpAtLeast(m, FirstTakingBequests)).Select(m => m.Address).ToList();
    }

    /// <summary>Up (or weakly up) in this node's view, and of <paramref name="version"/> or later.</summary>
    private static bool UpAtLeast(Akka.Cluster.Member member, Akka.Util.AppVersion version) =>
        member.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.WeaklyUp && member.AppVersion.CompareTo(version) >= 0;

    /// <summary>The member at <paramref name="node"/> in this node's view, or null.</summary>
    private static Akka.Cluster.Member? MemberAt(ActorSystem system, Address node) =>
        Akka.Cluster.Cluster.Get(system).State.Members.FirstOrDefault(m => m.Address == node);
}
