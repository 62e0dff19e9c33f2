using Akka.Actor;
using Quotes.Actors.Cluster;
using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// The upstream's state as this node's clients and readiness probe see it: what the holder last reported, unless this
/// node has lost sight of the holder's node. Nothing of the holder's reaches this node then (its aggregates, its next
/// status), so its last word would stand for the whole fail-over (about 10 s after a crash): <c>connected</c> to every
/// client and a ready node to every load balancer while no quote can arrive. Until the holder is in sight again, or a
/// holder reports (the new one, after a fail-over), the view is <see cref="UpstreamStates.Reconnecting"/>.
/// </summary>
public sealed class UpstreamView
{
    public const string UnreachableReason = "this node has lost sight of the node holding the upstream";
    public const string GoneReason = "the node holding the upstream left the cluster; another node takes it over";

    private string _reportedState = UpstreamStates.Connecting;
    private string _reportedReason = "waiting for the upstream singleton";

    /// <summary>The node of the holder that reported last (a local address when it runs on this node); null before any report.</summary>
    public Address? Holder { get; private set; }

    /// <summary>How this node sees <see cref="Holder"/>'s node, as last checked (in sight again whenever it reports).</summary>
    public Sight HolderSight { get; private set; } = Sight.InSight;

    public string State => HolderSight == Sight.InSight ? _reportedState : UpstreamStates.Reconnecting;

    public string Reason => HolderSight switch
    {
        Sight.Unreachable => UnreachableReason,
        Sight.Gone => GoneReason,
        _ => _reportedReason,
    };

    /// <summary>A holder's report (it reached this node, so its node is in sight); whether <see cref="State"/> changed.</summary>
    public bool Reported(string state, string reason, Address holder)
    {
        var before = State;
        (Holder, HolderSight, _reportedState, _reportedReason) = (holder, Sight.InSight, state, reason);
        return State != before;
    }

    /// <summary>How this node sees the holder's node now; true when that changed <see cref="HolderSight"/>.</summary>
    public bool Sighted(Sight sight)
    {
        if (Holder is null || HolderSight == sight) return false;
        HolderSight = sight;
        return true;
    }
}
