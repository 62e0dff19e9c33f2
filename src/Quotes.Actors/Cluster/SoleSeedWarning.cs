using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Says once, on a node whose seed list names no node but itself (<see cref="SoleSeed"/>), as soon as another member is
/// up: restarted while the others run, this node would come up as a second cluster, with a second upstream connection on
/// the same key and its clients' <c>seq</c> starting over. A node alone (the default one-node cluster) is not warned
/// about; nothing is wrong until a second node joins it. Started only where the list is such; stops once it has warned.
/// </summary>
public sealed class SoleSeedWarning : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public SoleSeedWarning()
    {
        // From the events themselves: Cluster.State is updated by another actor and may not show this event's member yet.
        Receive<ClusterEvent.CurrentClusterState>(state => Check(state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp)));
        Receive<ClusterEvent.MemberUp>(up => Check([up.Member]));
        Receive<ClusterEvent.MemberWeaklyUp>(up => Check([up.Member]));
    }

    private void Check(IEnumerable<Member> up)
    {
        var other = up.FirstOrDefault(m => m.Address != _cluster.SelfAddress);
        if (other is null) return;
        _log.Warning("Akka:Seeds names no node but this one ({Self}), and another member is up ({Other}): if this node restarts while " +
                     "the others run, it forms a second cluster of its own, with a second upstream connection, and its clients' seq starts over. " +
                     "List the same two or more seeds on every node (docs/OPERATIONS.md, \"Running a cluster\")", _cluster.SelfAddress, other.Address);
        Context.Stop(Self);
    }

    protected override void PreStart() => _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
        typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberWeaklyUp));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
