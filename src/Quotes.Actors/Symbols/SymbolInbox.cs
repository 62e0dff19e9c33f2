using Akka.Actor;
using Akka.Hosting;
using Quotes.Actors.Messages;

namespace Quotes.Actors.Symbols;

/// <summary>
/// One per node, at <c>/user/symbol-inbox</c>: takes the batches other nodes send for the entities that run here and hands
/// each item to the local shard region, which delivers it to the entity here or, if its shard has just moved, wherever it
/// went (so nothing is lost to a stale route, only one hop is added). Sharding routes one message per entity; these
/// batches are how a frame's aggregates and a hub's renewals cross between nodes in one message per node instead. An
/// asked aggregate batch is answered with <see cref="SymbolProtocol.AggregateBatchAck"/> once its items are with the region:
/// the upstream's backpressure.
/// </summary>
public sealed class SymbolInbox : ReceiveActor
{
    public const string Name = "symbol-inbox";

    public SymbolInbox(IActorRef region)
    {
        Receive<SymbolProtocol.AggregateBatch>(batch =>
        {
            foreach (var bar in batch.Bars) region.Tell(new SymbolProtocol.Aggregate(bar.Symbol, bar));
            // Asked by the upstream's apply stage, which pulls its next batch only after this answer; told by an older holder.
            if (!Sender.IsNobody()) Sender.Tell(SymbolProtocol.AggregateBatchAck.Instance);
        });
        Receive<SymbolProtocol.InterestRenewals>(renewals =>
        {
            foreach (var item in renewals.Interests)
                region.Tell(new SymbolProtocol.Interest(item.Symbol, renewals.Hub, WantSnapshot: false, WantsRaw: item.WantsRaw));
        });
    }
}

/// <summary>Registers this node's <see cref="SymbolInbox"/>, after the symbol region it feeds.</summary>
public static class SymbolInboxExtensions
{
    public static AkkaConfigurationBuilder AddSymbolInbox(this AkkaConfigurationBuilder builder) =>
        builder.AddFanoutDispatcher().WithActors((system, registry) =>
        {
            if (registry.TryGet<SymbolInbox>(out _)) return;
            var props = Props.Create(() => new SymbolInbox(registry.Get<SymbolActor>())).WithDispatcher(FanoutDispatcher.Id);
            registry.Register<SymbolInbox>(system.ActorOf(props, SymbolInbox.Name));
        });
}
