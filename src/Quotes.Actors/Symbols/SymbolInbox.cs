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
/// <para>
/// A node that leaves stops its region first (coordinated shutdown hands its shards off before the node leaves), and the
/// other nodes learn that it leaves only a gossip round later: what they send here meanwhile would reach a stopped region
/// and be lost. So once the region has stopped, a batch goes on to the inbox of the node that sent it (the upstream's for
/// aggregates, the hub's for renewals), whose region knows where the shards went.
/// </para>
/// </summary>
public sealed class SymbolInbox : ReceiveActor
{
    public const string Name = "symbol-inbox";

    private readonly IActorRef _region;
    private bool _regionStopped;

    public SymbolInbox(IActorRef region)
    {
        _region = region;
        Receive<SymbolProtocol.AggregateBatch>(batch =>
        {
            if (_regionStopped) PassOn(Sender.Path.Address, new SymbolProtocol.AggregateBatch(batch.Bars));
            else foreach (var bar in batch.Bars) region.Tell(new SymbolProtocol.Aggregate(bar.Symbol, bar));
            // Asked by the upstream's apply stage, which pulls its next batch only after this answer; told by an older holder.
            if (!Sender.IsNobody()) Sender.Tell(SymbolProtocol.AggregateBatchAck.Instance);
        });
        Receive<SymbolProtocol.InterestRenewals>(renewals =>
        {
            if (_regionStopped)
            {
                PassOn(renewals.Hub.Path.Address, renewals);
                return;
            }
            foreach (var item in renewals.Interests)
                region.Tell(new SymbolProtocol.Interest(item.Symbol, renewals.Hub, WantSnapshot: false, WantsRaw: item.WantsRaw));
        });
        Receive<Terminated>(t => _regionStopped |= t.ActorRef.Equals(region));
    }

    /// <summary>
    /// Sends a batch this node can no longer deliver to the inbox of <paramref name="node"/>, told (not asked: its answer
    /// would mean nothing here). A batch from this node itself has nowhere else to go: its own region is the one that stopped.
    /// </summary>
    private void PassOn(Address node, object batch)
    {
        if (node.HasLocalScope || node == ((ExtendedActorSystem)Context.System).Provider.DefaultAddress) return;
        Context.ActorSelection(Cluster.NodeBatches.InboxOf(node)).Tell(batch, ActorRefs.NoSender);
    }

    protected override void PreStart() => Context.Watch(_region);
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
