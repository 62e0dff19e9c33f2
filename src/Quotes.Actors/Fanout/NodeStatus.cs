using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// What this node's hub last published about the upstream and the market, plus the feed the node is configured for, for
/// readers outside the actor system (health probes, the admin view) to read without a round trip to the hub: an
/// anonymous probe storm then costs the hub nothing.
/// </summary>
public sealed class NodeStatus(string feed)
{
    /// <summary>The feed value for the built-in simulator: simulated prices, never market data.</summary>
    public const string SimulatorFeed = "simulator";

    private Snapshot _current = new(UpstreamStates.Connecting, "waiting for the upstream singleton", MarketCalendar.StateAt(DateTimeOffset.UtcNow));

    private volatile bool _socketSimulated;
    private volatile bool _restSimulated;

    /// <summary>
    /// <c>simulator</c> (the built-in simulator, or an upstream whose socket or REST answers announced a simulator), or
    /// Polygon's <c>realtime</c> or <c>delayed</c>.
    /// </summary>
    public string Feed => _socketSimulated || _restSimulated ? SimulatorFeed : ConfiguredFeed;

    /// <summary>The feed the node was configured for; <see cref="Feed"/> differs from it while the upstream is a simulator.</summary>
    public string ConfiguredFeed { get; } = feed;

    /// <summary>Sets <see cref="Feed"/> from what the upstream socket announced; true if the feed changed.</summary>
    internal bool PublishFeed(bool simulated)
    {
        var before = Feed;
        _socketSimulated = simulated;
        return Feed != before;
    }

    /// <summary>
    /// Notes whether the REST upstream's last answer was marked simulated; true when that differs from the answer before
    /// (the node's hub tells clients of a changed <see cref="Feed"/> within a second).
    /// </summary>
    public bool NoticeRestAnswer(bool simulated)
    {
        if (_restSimulated == simulated) return false;
        _restSimulated = simulated;
        return true;
    }

    private long _reportedAt = Environment.TickCount64;

    public Snapshot Current => Volatile.Read(ref _current);

    /// <summary>
    /// How long ago the hub last reported (a publish, or its once-a-second check): a hub that stopped or is stuck stops
    /// reporting, and what it last published must then not be taken for the present.
    /// </summary>
    public TimeSpan SinceReport => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _reportedAt));

    internal void Publish(string upstream, string reason, string market)
    {
        Volatile.Write(ref _current, new Snapshot(upstream, reason, market));
        Report();
    }

    /// <summary>The hub is alive and <see cref="Current"/> still holds.</summary>
    internal void Report() => Volatile.Write(ref _reportedAt, Environment.TickCount64);

    /// <param name="Reason">Why the upstream is in that state; may name the provider's host, so only for operators.</param>
    public sealed record Snapshot(string Upstream, string Reason, string Market);
}
