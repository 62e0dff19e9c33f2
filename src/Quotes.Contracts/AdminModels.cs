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
public sealed record UpstreamReport(string Node, string State, string Reason, int Subscribed, int ConnectionsOpened);

/// <param name="Clients">Client WebSockets connected to this node; null when the node did not answer.</param>
public sealed record NodeReport(string Address, int Shards, int Entities, int? Clients, int? Symbols);

/// <summary>
/// <c>GET /admin/wire</c>: what this node sent to and read from other nodes since it started, per message kind
/// (<see cref="WireCount.Kind"/> is the cross-node serializer's manifest, e.g. <c>I</c> interest, <c>Q</c> quote update, <c>W</c> want).
/// </summary>
public sealed record WireReport(string Node, double UptimeSeconds, IReadOnlyList<WireCount> Sent, IReadOnlyList<WireCount> Received);

public sealed record WireCount(string Kind, long Messages, long Bytes);
