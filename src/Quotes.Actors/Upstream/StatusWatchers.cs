namespace Quotes.Actors.Upstream;

/// <summary>
/// Who hears the upstream's state, and what they were last told. Watchers hold a lease (renewed as hubs renew their
/// interest) and are pruned by the holder's sweep. A state change is news, and so is a change of <c>simulated</c> under the
/// same state (a new connection to another kind of upstream). Pure bookkeeping for <see cref="UpstreamActor"/>.
/// </summary>
public sealed class StatusWatchers<TWatcher>(TimeSpan lease) where TWatcher : notnull
{
    private readonly Dictionary<TWatcher, DateTime> _until = new();
    private (string State, bool Simulated)? _announced;

    public IReadOnlyCollection<TWatcher> All => _until.Keys;

    /// <summary>Takes or renews a watcher's lease.</summary>
    public void Watch(TWatcher watcher, DateTime now) => _until[watcher] = now + lease;

    /// <summary>Forgets watchers whose lease ran out.</summary>
    public void Prune(DateTime now)
    {
        foreach (var lapsed in _until.Where(w => w.Value < now).Select(w => w.Key).ToList()) _until.Remove(lapsed);
    }

    /// <summary>True when <paramref name="state"/> and <paramref name="simulated"/> are news to the watchers; they count as told from now on.</summary>
    public bool Announce(string state, bool simulated)
    {
        if (_announced == (state, simulated)) return false;
        _announced = (state, simulated);
        return true;
    }
}
