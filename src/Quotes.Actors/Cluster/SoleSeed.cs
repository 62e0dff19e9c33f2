using Akka.Actor;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Whether a node's seed list lets it form a cluster of its own whenever it starts. Akka's first seed joins itself when
/// no other seed answers within <c>seed-node-timeout</c>; a list that names no node but this one (or no node at all) has
/// no other seed to ask, so the node joins itself at once, even while the rest of its cluster runs.
/// </summary>
public static class SoleSeed
{
    /// <summary>
    /// True when every seed in <paramref name="seeds"/> is <paramref name="self"/> (true for an empty list). A seed that
    /// does not parse, or names this node by another host name, counts as another node: no false alarm.
    /// </summary>
    public static bool FormsItsOwnCluster(IEnumerable<string> seeds, Address self) => seeds.All(seed => Names(seed, self));

    private static bool Names(string seed, Address self) =>
        Address.TryParse(seed.Trim(), out var address)
        && address.System == self.System
        && string.Equals(address.Host, self.Host, StringComparison.OrdinalIgnoreCase)
        && address.Port == self.Port;
}
