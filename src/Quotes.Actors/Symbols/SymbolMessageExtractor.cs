using Akka.Cluster.Sharding;
using Quotes.Actors.Messages;

namespace Quotes.Actors.Symbols;

/// <summary>Maps <see cref="IWithSymbol"/> messages to entities; MurmurHash of the symbol picks one of <c>shards</c> shards.</summary>
/// <param name="shards">
/// The cluster's shard count (<c>Akka:Shards</c>): about ten times the most nodes the cluster will ever run. Every node
/// must use the same value, and it can change only with a full-cluster restart: nodes that disagree route a symbol to two
/// entities.
/// </param>
public sealed class SymbolMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => (message as IWithSymbol)?.Symbol;
}
