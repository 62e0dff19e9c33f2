using Akka.Cluster.Sharding;

namespace Quotes.Actors.Symbols;

/// <summary>Maps <see cref="IWithSymbol"/> messages to entities; MurmurHash of the symbol picks the shard.</summary>
public sealed class SymbolMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    /// <summary>About ten times the largest expected node count. NEVER change it in a running cluster.</summary>
    public const int ShardCount = 50;

    public override string? EntityId(object message) => (message as IWithSymbol)?.Symbol;
}
