using System.Collections.Concurrent;
using Akka.Actor;
using Quotes.Actors.Cluster;
using Quotes.Actors.Polygon;
using Quotes.Actors.Symbols;

namespace Quotes.Actors.Upstream;

/// <summary>
/// Where the upstream sends each frame's aggregates. Sharding routes one message per entity, so on a cluster two thirds
/// of all aggregates used to cross to another node one by one. The upstream learns where each symbol's entity runs from
/// the entity's own wants (their sender), and sends a frame's aggregates for the entities on another node in one
/// <see cref="SymbolProtocol.AggregateBatch"/> to that node's <see cref="SymbolInbox"/>. Entities on this node, symbols
/// whose home is unknown, and nodes that do not read batches (an older version in a rolling upgrade) go through the
/// region as before. A stale home costs one extra hop, never an aggregate: the inbox hands each to its region, which
/// knows where the shard went. Thread-safe: written by the upstream actor, read by the connection's parse loop.
/// </summary>
public sealed class AggregateRouting(ActorSystem system, IActorRef region)
{
    private readonly ConcurrentDictionary<string, Address> _homes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Address, ActorSelection> _inboxes = new();
    private readonly ConcurrentDictionary<Address, bool> _readers = new();

    /// <summary>Aggregates per batch at most: about 250 bytes each with the raw event, well under Akka.Remote's 128,000-byte frame.</summary>
    public const int MaxPerBatch = 200;

    /// <summary>Symbols routed to another node's inbox now (operators, specs).</summary>
    public int RemoteHomes => _homes.Count;

    /// <summary>The entity of <paramref name="symbol"/> that sent a want: its node is the symbol's home from now on.</summary>
    public void Note(string symbol, IActorRef entity)
    {
        var node = entity.Path.Address;
        if (node.HasLocalScope || entity.IsNobody() || !Reads(node)) _homes.TryRemove(symbol, out _);
        else _homes[symbol] = node;
    }

    /// <summary>
    /// Whether <paramref name="node"/> reads batches, from the membership once per node (wants arrive hundreds of times
    /// a second; a member's version never changes while it is one). A node not yet known to read them is asked again.
    /// </summary>
    private bool Reads(Address node)
    {
        if (_readers.ContainsKey(node)) return true;
        if (!NodeBatches.Reads(system, node)) return false;
        _readers[node] = true;
        return true;
    }

    /// <summary>A node left, went down or became unreachable: its symbols go through the region until their entities want again.</summary>
    public void Forget(Address node)
    {
        foreach (var (symbol, home) in _homes)
            if (home == node) _homes.TryRemove(new KeyValuePair<string, Address>(symbol, home));
        _inboxes.TryRemove(node, out _);
        _readers.TryRemove(node, out _);
    }

    /// <summary>One upstream frame's aggregates, in the order they came.</summary>
    public void Route(IReadOnlyList<AggregateBar> bars)
    {
        Dictionary<Address, List<AggregateBar>>? remote = null;
        foreach (var bar in bars)
        {
            if (_homes.TryGetValue(bar.Symbol, out var node))
            {
                remote ??= [];
                if (!remote.TryGetValue(node, out var list)) remote[node] = list = [];
                list.Add(bar);
            }
            else region.Tell(new SymbolProtocol.Aggregate(bar.Symbol, bar));
        }
        if (remote is null) return;
        foreach (var (node, list) in remote)
        {
            var inbox = _inboxes.GetOrAdd(node, n => system.ActorSelection(NodeBatches.InboxOf(n)));
            foreach (var chunk in list.Chunk(MaxPerBatch)) inbox.Tell(new SymbolProtocol.AggregateBatch(chunk));
        }
    }
}
