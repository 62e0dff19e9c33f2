namespace Quotes.Actors.Upstream;

/// <summary>
/// When a tripped <see cref="UpstreamFence"/> may be re-armed. Pure bookkeeping for <see cref="UpstreamActor"/>'s fence
/// checks, on a monotonic clock. The fence trips on any freeze past <see cref="UpstreamFence.FreezeGap"/>; how long the
/// node then waits depends on whether the others can have acted on it:
/// <list type="bullet">
/// <item>this node is the cluster's only member: nobody else can hold the upstream, so at the first healthy check;</item>
/// <item>the freeze was shorter than the failure detector's acceptable heartbeat pause: the others cannot have downed
/// this node (a peer marks it unreachable only after about the pause plus a heartbeat interval of silence, and the
/// split-brain resolver downs it only after its stable-after on top), so once the cluster has looked healthy for
/// <see cref="AfterShortFreeze"/>, two heartbeat and gossip rounds: a downing decided around the freeze reaches this
/// node before it re-arms;</item>
/// <item>a longer freeze: once the cluster has counted this node up and every member reachable for <see cref="After"/>
/// without a break.</item>
/// </list>
/// A stall of a second or two on a busy machine (a long GC pause, a starved core) so costs two seconds of quotes, not
/// ten. A gap between two checks longer than <see cref="UpstreamFence.FreezeGap"/> is a freeze of its own that the
/// tripped fence does not report again: the wait starts over as after a long freeze.
/// </summary>
/// <param name="unnoticedBelow">The failure detector's acceptable heartbeat pause: a freeze shorter than it cannot have got the node downed.</param>
public sealed class FenceSettle(TimeSpan unnoticedBelow)
{
    /// <summary>After a freeze the others may have acted on: the cluster must look healthy this long.</summary>
    /// <remarks>Longer than it takes this node's own failure detector and split-brain resolver to act after a freeze (~2 s to see
    /// silent peers unreachable, 3 s stable-after to down itself), so a node the others downed learns it before it re-arms.</remarks>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    /// <summary>After a freeze too short to get the node downed: two heartbeat and gossip rounds of a healthy cluster.</summary>
    public static readonly TimeSpan AfterShortFreeze = TimeSpan.FromSeconds(2);

    private TimeSpan _wait = After;
    private TimeSpan? _healthySince;
    private TimeSpan? _lastCheck;

    /// <summary>The fence tripped after a freeze of <paramref name="gap"/>, told at <paramref name="now"/>: the settling starts over.</summary>
    public void Reset(TimeSpan gap, TimeSpan now)
    {
        StartOver(gap < unnoticedBelow ? AfterShortFreeze : After);
        _lastCheck = now; // a freeze between this and the first check counts too
    }

    /// <summary>
    /// One check at <paramref name="now"/> (monotonic): true once the cluster has looked healthy (this node up, every
    /// member reachable) at every check for the wait the last freeze calls for, or at once when it is healthy and
    /// <paramref name="alone"/> (its only member).
    /// </summary>
    public bool Settled(bool healthy, bool alone, TimeSpan now)
    {
        if (_lastCheck is { } last && now - last > UpstreamFence.FreezeGap) StartOver(After);
        _lastCheck = now;
        if (!healthy)
        {
            _healthySince = null;
            return false;
        }
        _healthySince ??= now;
        return alone || now - _healthySince >= _wait;
    }

    private void StartOver(TimeSpan wait)
    {
        _healthySince = null;
        _lastCheck = null;
        _wait = wait;
    }
}
