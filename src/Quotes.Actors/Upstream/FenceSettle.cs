namespace Quotes.Actors.Upstream;

/// <summary>
/// When a tripped <see cref="UpstreamFence"/> may be re-armed: once the cluster has counted this node up and every member
/// reachable for <see cref="After"/> without a break. Pure bookkeeping for <see cref="UpstreamActor"/>'s fence checks.
/// </summary>
public sealed class FenceSettle
{
    /// <summary>A tripped fence is re-armed once the cluster has counted every member reachable for this long.</summary>
    /// <remarks>Longer than it takes this node's own failure detector and split-brain resolver to act after a freeze (~2 s to see
    /// silent peers unreachable, 3 s stable-after to down itself), so a node the others downed learns it before it re-arms.</remarks>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    private DateTime? _healthySince;

    /// <summary>The fence tripped: the settling starts over.</summary>
    public void Reset() => _healthySince = null;

    /// <summary>One check: true once the cluster has looked healthy at every check for <see cref="After"/>.</summary>
    public bool Settled(bool healthy, DateTime now)
    {
        if (!healthy)
        {
            _healthySince = null;
            return false;
        }
        _healthySince ??= now;
        return now - _healthySince >= After;
    }
}
