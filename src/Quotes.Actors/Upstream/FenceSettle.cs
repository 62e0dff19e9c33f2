namespace Quotes.Actors.Upstream;

/// <summary>
/// When a tripped <see cref="UpstreamFence"/> may be re-armed. Pure bookkeeping for <see cref="UpstreamActor"/>'s fence
/// checks. The fence trips on any freeze past <see cref="UpstreamFence.FreezeGap"/>; how long the node then waits depends
/// on whether the others can have acted on it:
/// <list type="bullet">
/// <item>this node is the cluster's only member: nobody else can hold the upstream, so at the first healthy check;</item>
/// <item>the freeze was shorter than the failure detector's acceptable heartbeat pause: no other node can have seen this
/// one unreachable, let alone downed it and started another holder (that takes the pause, the split-brain resolver's
/// stable-after and the down-removal margin), so once the cluster has looked healthy for <see cref="AfterShortFreeze"/>,
/// time for this node's heartbeats to reach the others again;</item>
/// <item>a longer freeze: once the cluster has counted this node up and every member reachable for <see cref="After"/>
/// without a break.</item>
/// </list>
/// A brief stall on a busy machine (a long GC pause, a starved core) so costs a second of quotes, not ten.
/// </summary>
/// <param name="unnoticedBelow">The failure detector's acceptable heartbeat pause: a freeze shorter than it went unseen.</param>
public sealed class FenceSettle(TimeSpan unnoticedBelow)
{
    /// <summary>After a freeze the others may have acted on: the cluster must look healthy this long.</summary>
    /// <remarks>Longer than it takes this node's own failure detector and split-brain resolver to act after a freeze (~2 s to see
    /// silent peers unreachable, 3 s stable-after to down itself), so a node the others downed learns it before it re-arms.</remarks>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    /// <summary>After a freeze no other node can have noticed: one heartbeat interval of a healthy cluster.</summary>
    public static readonly TimeSpan AfterShortFreeze = TimeSpan.FromSeconds(1);

    private TimeSpan _wait = After;
    private DateTime? _healthySince;

    /// <summary>The fence tripped after a freeze of <paramref name="gap"/>: the settling starts over.</summary>
    public void Reset(TimeSpan gap)
    {
        _healthySince = null;
        _wait = gap < unnoticedBelow ? AfterShortFreeze : After;
    }

    /// <summary>
    /// One check: true once the cluster has looked healthy (this node up, every member reachable) at every check for the
    /// wait the last freeze calls for, or at once when it is healthy and <paramref name="alone"/> (its only member).
    /// </summary>
    public bool Settled(bool healthy, bool alone, DateTime now)
    {
        if (!healthy)
        {
            _healthySince = null;
            return false;
        }
        _healthySince ??= now;
        return alone || now - _healthySince >= _wait;
    }
}
