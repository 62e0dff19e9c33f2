namespace Quotes.Testing;

/// <summary>
/// The shortened timings every in-process test host runs with, so that leases, lingers, backoffs and keep-alives play out
/// in seconds. A test's own settings override them.
/// </summary>
public static class TestTimings
{
    public static Dictionary<string, string?> With(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Quotes:RenewInterval"] = "00:00:00.500",
            ["Quotes:LeaseDuration"] = "00:00:03",
            ["Quotes:UpstreamLinger"] = "00:00:00",
            ["Quotes:MinBackoff"] = "00:00:00.100",
            ["Quotes:MaxBackoff"] = "00:00:01",
            ["Quotes:EvictionCooldown"] = "00:00:03",
            ["Quotes:AuthRetry"] = "00:00:02",
            ["Quotes:PingInterval"] = "00:00:00.300",
            ["Quotes:LivenessTimeout"] = "00:00:00.700",
        };
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }

    /// <summary>
    /// Cluster timers that decide how long a test host takes to leave its own cluster when it is disposed: the leader
    /// moves a leaving node to Exiting at a leader-actions tick, and those ticks start only after the periodic tasks'
    /// initial delay (1 s by default, then every 500 ms on the host); a singleton manager with no one to hand over to waits
    /// one hand-over retry (500 ms) before it stops its singleton. Disposing a one-node host right after its spec took
    /// ~0.95 s of waiting, ~0.2 s with these; a run disposes a few hundred. The same timers also run a cluster's leader
    /// and singleton hand-over when a member crashes or leaves, so the specs that measure a fail-over keep the host's own
    /// values of these three: node processes always (they keep every production timing), in-process nodes with
    /// <c>productionClusterTimings</c> (<see cref="ClusterNodes"/>; their other timings are still <see cref="With"/>'s).
    /// </summary>
    public const string QuickLeaveHocon = """
        akka.cluster.periodic-tasks-initial-delay = 100ms
        akka.cluster.leader-actions-interval = 100ms
        akka.cluster.singleton.hand-over-retry-interval = 100ms
        """;
}
