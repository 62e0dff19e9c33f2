using Akka.Actor;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Actors.Messages;

/// <summary>Routes a message to the symbol's entity; the sharding extractor reads nothing else.</summary>
public interface IWithSymbol : IQuotesMessage
{
    string Symbol { get; }
}

/// <summary>Messages of the sharded symbol entity.</summary>
public static class SymbolProtocol
{
    /// <summary>
    /// A node's hub wants this symbol's updates. A lease: renewed every few seconds, forgotten when it lapses.
    /// <paramref name="Seed"/> is the latest quote the hub delivered, sent while the hub knows of no live incarnation of the
    /// entity (first contact, or the one it watched terminated): a new incarnation adopts it and so continues the symbol's
    /// <c>seq</c> and day state (<see cref="Symbols.QuoteState.Adopt"/>). <paramref name="WantsRaw"/>: the hub has Polygon-protocol
    /// (<c>/polygon</c>) clients on the symbol, so its updates must carry the upstream event; other hubs get them without.
    /// </summary>
    public sealed record Interest(string Symbol, IActorRef Hub, bool WantSnapshot, Quote? Seed = null, bool WantsRaw = false) : IWithSymbol;

    /// <summary>The hub's last local session left the symbol.</summary>
    public sealed record ReleaseInterest(string Symbol, IActorRef Hub) : IWithSymbol;

    /// <summary>An upstream aggregate for this symbol.</summary>
    public sealed record Aggregate(string Symbol, AggregateBar Bar) : IWithSymbol;

    /// <summary>The symbol's state from the REST snapshot, after an upstream outage; applied like an aggregate.</summary>
    public sealed record Refresh(string Symbol, AggregateBar Bar, decimal? PreviousClose) : IWithSymbol;

    /// <summary>Asks for the current quote; answered with <see cref="CurrentQuote"/>.</summary>
    public sealed record GetQuote(string Symbol) : IWithSymbol;

    /// <summary>The entity's quote, null while it has no price.</summary>
    public sealed record CurrentQuote(string Symbol, Quote? Quote) : IQuotesMessage;

    /// <summary>The reply to an <see cref="Interest"/> that asked for a snapshot; null quote when there is no price yet.</summary>
    public sealed record Snapshot(string Symbol, Quote? Quote) : IQuotesMessage;

    /// <summary>
    /// A new quote, sent once per interested hub (never per client), with the upstream event behind it when there was one.
    /// <paramref name="NoNewEvent"/>: no new upstream event caused it (the provider's day taken, a hub's seed adopted), so
    /// its timestamp is an older event's and the hub does not time its delivery by it.
    /// </summary>
    public sealed record QuoteUpdated(Quote Quote, byte[]? RawEvent = null, bool NoNewEvent = false) : IQuotesMessage;

    /// <summary>
    /// The updates a node's entities published for one remote hub since the last batch, oldest first, each with the
    /// incarnation it came from (the hub watches it). One message per burst and hub instead of one per quote: remote
    /// traffic, and so the cost of a quote in a cluster, no longer grows with the number of symbols in a burst.
    /// </summary>
    public sealed record QuoteBatch(IReadOnlyList<QuoteBatch.Item> Updates) : IQuotesMessage
    {
        /// <summary>One update and the entity incarnation that published it.</summary>
        public sealed record Item(IActorRef Entity, QuoteUpdated Update);
    }

    /// <summary>
    /// One upstream frame's aggregates for the entities on one node, sent by the upstream to that node's
    /// <see cref="Symbols.SymbolInbox"/>, which hands each to the local region: one remote message per frame and node instead of
    /// one per aggregate. Only to nodes that read it (<see cref="Cluster.NodeBatches"/>).
    /// </summary>
    public sealed record AggregateBatch(IReadOnlyList<AggregateBar> Bars) : IQuotesMessage;

    /// <summary>
    /// A <see cref="Symbols.SymbolInbox"/>'s answer to an <see cref="AggregateBatch"/> that was asked of it: each of its aggregates
    /// is with the node's region. The upstream's apply stage pulls its next batch only after the answer (backpressure);
    /// asked only of nodes that answer it (<see cref="Cluster.NodeBatches.Acks"/>).
    /// </summary>
    public sealed class AggregateBatchAck : IQuotesMessage
    {
        public static readonly AggregateBatchAck Instance = new();
        private AggregateBatchAck() { }
    }

    /// <summary>
    /// A hub's interest renewals (no snapshot, no seed) for the symbols whose entities run on one node, sent to that node's
    /// <see cref="Symbols.SymbolInbox"/>: one remote message per renewal round and node instead of one per symbol.
    /// </summary>
    public sealed record InterestRenewals(IActorRef Hub, IReadOnlyList<InterestRenewals.Item> Interests) : IQuotesMessage
    {
        /// <summary>One symbol's renewal; <paramref name="WantsRaw"/> as in <see cref="Interest"/>.</summary>
        public sealed record Item(string Symbol, bool WantsRaw);
    }

    /// <summary>Which hubs hold an interest lease; answered with <see cref="InterestReport"/> (operators, specs).</summary>
    public sealed record GetInterest(string Symbol) : IWithSymbol;

    /// <param name="Hubs">The interested hubs' paths: one per node with subscribers, never one per client.</param>
    public sealed record InterestReport(string Symbol, IReadOnlyList<string> Hubs) : IQuotesMessage;

    /// <summary>Sharding's passivation and hand-off stop message.</summary>
    public sealed class Stop : IQuotesMessage
    {
        public static readonly Stop Instance = new();
        private Stop() { }
    }
}
