namespace Quotes.Contracts;

/// <summary>The data of <c>GET /admin/cluster</c>: what an operator needs to see of the cluster at a glance.</summary>
public sealed record ClusterReport(
    string Self,
    IReadOnlyList<ClusterMember> Members,
    UpstreamReport Upstream,
    IReadOnlyList<NodeReport> Nodes,
    string Feed);

public sealed record ClusterMember(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

/// <param name="Node">The node holding the single upstream connection.</param>
/// <param name="Subscribed">Symbols subscribed on that connection.</param>
/// <param name="MaxSymbols">The most symbols the upstream carries (<c>Polygon:MaxSymbols</c>); 0 when unknown.</param>
/// <param name="OverCap">Distinct symbols wanted in the last minute but not subscribed because the upstream was at that cap.</param>
/// <param name="Conflated">Aggregates the holder dropped since it took the upstream because a newer one for the same symbol came while its pipeline was behind.</param>
/// <param name="Malformed">Upstream events and frames the holder skipped as malformed since it took the upstream.</param>
public sealed record UpstreamReport(string Node, string State, string Reason, int Subscribed, int ConnectionsOpened, int MaxSymbols = 0, int OverCap = 0,
    long Conflated = 0, long Malformed = 0);

/// <summary>One member's share of the work; the figures from its hub are null when the node did not answer.</summary>
/// <param name="Clients">Client sessions on this node (a Polygon-protocol client counts once authenticated).</param>
/// <param name="Symbols">Distinct symbols this node's clients hold.</param>
/// <param name="Subscriptions">Symbols held summed over this node's clients.</param>
/// <param name="Backlog">What this node's client outboxes hold right now.</param>
/// <param name="SlowConsumersClosed">Clients this node closed as slow consumers since it started.</param>
/// <param name="HoldsUpstream">This node holds the single upstream connection.</param>
public sealed record NodeReport(string Address, int Shards, int Entities, int? Clients, int? Symbols, int? Subscriptions = null,
    NodeBacklog? Backlog = null, long? SlowConsumersClosed = null, bool HoldsUpstream = false);

/// <summary>
/// A node's client outboxes: quotes waiting (at most one per held symbol per client), replies waiting, the largest single
/// backlog, and quotes replaced by newer ones before they were sent (summed over the clients connected now).
/// </summary>
public sealed record NodeBacklog(long PendingQuotes, long PendingControl, int LargestOutbox, long Conflated);

/// <summary>
/// <c>GET /admin/wire</c>: what this node sent to and read from other nodes since it started, per message kind
/// (<see cref="WireCount.Kind"/> is the cross-node serializer's manifest, e.g. <c>I</c> interest, <c>Q</c> quote update, <c>W</c> want).
/// </summary>
public sealed record WireReport(string Node, double UptimeSeconds, IReadOnlyList<WireCount> Sent, IReadOnlyList<WireCount> Received);

public sealed record WireCount(string Kind, long Messages, long Bytes);
