using Akka.Actor;
using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// The upstream's state as this node's clients and readiness probe see it: what the holder last reported, unless the
/// holder's node is unreachable from here. Nothing of the holder's reaches this node then (its aggregates, its next
/// status), so its last word would stand for the whole fail-over (about 10 s after a crash): <c>connected</c> to every
/// client and a ready node to every load balancer while no quote can arrive. Until the holder is reachable again, or a
/// holder reports (the new one, after a fail-over), the view is <see cref="UpstreamStates.Reconnecting"/>.
/// </summary>
public sealed class UpstreamView
{
    public const string UnreachableReason = "the node holding the upstream is unreachable from this node";

    private Address? _holder;
    private bool _holderUnreachable;
    private string _reportedState = UpstreamStates.Connecting;
    private string _reportedReason = "waiting for the upstream singleton";

    public string State => _holderUnreachable ? UpstreamStates.Reconnecting : _reportedState;

    public string Reason => _holderUnreachable ? UnreachableReason : _reportedReason;

    /// <summary>A holder's report; <paramref name="holder"/> is its node (a local address when it runs on this node).</summary>
    public bool Reported(string state, string reason, Address holder) =>
        Changes(() => (_holder, _holderUnreachable, _reportedState, _reportedReason) = (holder, false, state, reason));

    /// <summary>The cluster marked <paramref name="node"/> unreachable from this node.</summary>
    public bool Unreachable(Address node) => Changes(() => _holderUnreachable |= node == _holder);

    /// <summary>The cluster marked <paramref name="node"/> reachable again.</summary>
    public bool Reachable(Address node) => Changes(() => _holderUnreachable &= node != _holder);

    /// <summary>Applies <paramref name="change"/>; whether the state clients see changed.</summary>
    private bool Changes(Action change)
    {
        var before = State;
        change();
        return State != before;
    }
}
