using Akka.Actor;
using Akka.Hosting;

namespace Quotes.Actors.Symbols;

/// <summary>
/// One per node: gathers the updates this node's entities publish for hubs on other nodes into one
/// <see cref="SymbolProtocol.QuoteBatch"/> per hub. The first update for a hub since the last batch makes the batcher tell
/// itself to flush; the flush runs once every publish queued before it has been added, so a burst (one upstream frame
/// for hundreds of symbols) crosses to each node in a few messages, not hundreds, with no timer and no added wait.
/// Local hubs are told directly by the entity (<see cref="SymbolActor"/>).
/// </summary>
public sealed class UpdateBatcher : ReceiveActor
{
    /// <summary>An entity's update for the remote hubs among its interested ones. Local only.</summary>
    public sealed record Publish(IActorRef Entity, SymbolProtocol.QuoteUpdated Update, SymbolProtocol.QuoteUpdated WithRaw,
        IReadOnlyList<(IActorRef Hub, bool WantsRaw)> Hubs) : INoSerializationVerificationNeeded;

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    /// <summary>
    /// Updates per message at most: about 400 bytes each with the raw event and the entity's path, so a batch stays well
    /// under Akka.Remote's 128,000-byte frame limit (a larger one would be dropped by remoting).
    /// </summary>
    public const int MaxPerBatch = 150;

    private readonly Dictionary<IActorRef, List<SymbolProtocol.QuoteBatch.Item>> _pending = new();
    private bool _flushQueued;

    public UpdateBatcher()
    {
        Receive<Publish>(OnPublish);
        Receive<Flush>(_ => OnFlush());
    }

    private void OnPublish(Publish publish)
    {
        foreach (var (hub, wantsRaw) in publish.Hubs)
        {
            if (!_pending.TryGetValue(hub, out var updates)) _pending[hub] = updates = [];
            updates.Add(new SymbolProtocol.QuoteBatch.Item(publish.Entity, wantsRaw ? publish.WithRaw : publish.Update));
        }
        if (_flushQueued) return;
        _flushQueued = true;
        Self.Tell(Flush.Instance);
    }

    private void OnFlush()
    {
        _flushQueued = false;
        foreach (var (hub, updates) in _pending)
            for (var from = 0; from < updates.Count; from += MaxPerBatch)
                hub.Tell(new SymbolProtocol.QuoteBatch(updates.GetRange(from, Math.Min(MaxPerBatch, updates.Count - from)).ToArray()));
        // Hubs that got nothing this time are forgotten, so a hub that left costs nothing.
        foreach (var hub in _pending.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList()) _pending.Remove(hub);
        foreach (var updates in _pending.Values) updates.Clear();
    }
}

/// <summary>Registers this node's <see cref="UpdateBatcher"/>; the symbol region's entities use it.</summary>
public static class UpdateBatcherExtensions
{
    public static AkkaConfigurationBuilder AddUpdateBatcher(this AkkaConfigurationBuilder builder) =>
        builder.AddFanoutDispatcher().WithActors((system, registry) =>
        {
            if (registry.TryGet<UpdateBatcher>(out _)) return;
            registry.Register<UpdateBatcher>(system.ActorOf(Props.Create<UpdateBatcher>().WithDispatcher(FanoutDispatcher.Id), "update-batcher"));
        });
}
