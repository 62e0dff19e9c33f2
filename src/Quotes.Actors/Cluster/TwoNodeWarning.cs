using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Says loudly, on every node, when the cluster has exactly two members: such a cluster is not fault tolerant. A crash
/// cannot be told from a network partition, one node of two is no majority, and keep-majority breaks the tie by keeping
/// the side with the lowest address; so when that node crashes, the other downs itself too and every client is lost.
/// No downing strategy avoids this without an outside arbiter (docs/OPERATIONS.md, "Two nodes are not fault tolerant").
/// Only a cluster that stays at two members for <see cref="Settle"/> is warned about: three nodes starting or stopping one
/// after another pass through two members for a few seconds, and a healthy start must log no warning.
/// </summary>
public sealed class TwoNodeWarning : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    // A tick to self: it leaves a receive timeout alone and makes no dead-letter noise once the actor is gone.
    private sealed class Recheck : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Recheck Instance = new(); }

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _warned;

    public TwoNodeWarning()
    {
        Receive<ClusterEvent.IMemberEvent>(_ => Check());
        Receive<ClusterEvent.CurrentClusterState>(_ => Check());
        Receive<Recheck>(_ => Check(settled: true));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Check(bool settled = false)
    {
        // Members that are or are about to be Up, this node included while it joins; leaving ones no longer count.
        var up = _cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .OrderBy(m => m.Address, Member.AddressOrdering).ToList();
        if (up.Count != 2)
        {
            _warned = false;
            Timers.Cancel("settle");
            return;
        }
        if (_warned) return;
        if (!settled)
        {
            // Two members now: warn if it is still so once the cluster had time to reach its intended size.
            if (!Timers.IsTimerActive("settle")) Timers.StartSingleTimer("settle", Recheck.Instance, Settle);
            return;
        }
        _warned = true;
        _log.Warning("This cluster has two nodes and is NOT fault tolerant: if {Lowest} crashes, {Other} downs itself as well " +
                     "(keep-majority keeps the lowest address when the sides are equal; a crash looks like a partition). Run three or more nodes",
            up[0].Address, up[1].Address);
    }

    protected override void PreStart() => _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
