using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;

namespace Quotes.Actors.Symbols;

/// <summary>
/// One per node: gathers the updates this node's entities publish for hubs on other nodes into one
/// <see cref="SymbolProtocol.QuoteBatch"/> per hub. The first update for a hub since the last batch makes the batcher tell
/// itself to flush; the flush runs once every publish queued before it has been added, so a burst (one upstream frame
/// for hundreds of symbols) crosses to each node in a few messages, not hundreds, with no timer and no added wait.
/// Local hubs are told directly by the entity (<see cref="SymbolActor"/>).
/// <para>
/// It also gathers the entities' want renewals (<see cref="RenewWant"/>): the first within a renewal round starts a timer of
/// half the renewal interval, and then one <see cref="UpstreamProtocol.WantBatch"/> goes to the upstream for all of them,
/// instead of one remote message per entity every interval. Until every member reads batches (a rolling upgrade from a
/// version without them) each renewal goes on as its own <see cref="UpstreamProtocol.Want"/>.
/// </para>
/// </summary>
public sealed class UpdateBatcher : ReceiveActor, IWithTimers
{
    /// <summary>An entity's update for the remote hubs among its interested ones. Local only.</summary>
    public sealed record Publish(IActorRef Entity, SymbolProtocol.QuoteUpdated Update, SymbolProtocol.QuoteUpdated WithRaw,
        IReadOnlyList<(IActorRef Hub, bool WantsRaw)> Hubs) : INoSerializationVerificationNeeded;

    /// <summary>An entity renews its want of the symbol's upstream channel; sent on within <paramref name="Within"/>. Local only.</summary>
    public sealed record RenewWant(string Symbol, IActorRef Upstream, TimeSpan Within) : INoSerializationVerificationNeeded;

    // Ticks to self: they leave a receive timeout alone and make no dead-letter noise once the actor is gone.
    private sealed class Flush : INotInfluenceReceiveTimeout, IDeadLetterSuppression
    {
        public static readonly Flush Instance = new();
    }

    private sealed class FlushWants : INotInfluenceReceiveTimeout, IDeadLetterSuppression
    {
        public static readonly FlushWants Instance = new();
    }

    /// <summary>
    /// An update's bytes on the wire, estimated from above whatever its values: the quote (twelve decimals of up to 24 bytes
    /// each with the other fields, 340 at most; about 110 with two-decimal prices), the entity's path (its node's
    /// <paramref name="addressLength"/> and up to 64 for <c>/system/sharding/symbol/shard/SYMBOL#uid</c>) and the raw event
    /// when the hub wants it. Batches are cut by it (<see cref="RemoteChunks"/>): a burst for a hub without Polygon-protocol
    /// clients crosses in one message of up to about 230 updates (some 195 bytes each on the wire with today's prices).
    /// </summary>
    public static int EstimatedBytes(SymbolProtocol.QuoteBatch.Item item, int addressLength) =>
        340 + addressLength + 64 + (item.Update.RawEvent?.Length ?? 0);

    /// <summary>Want renewals per batch at most: a few bytes each.</summary>
    private const int MaxWantsPerBatch = 2_000;

    private readonly Dictionary<IActorRef, List<SymbolProtocol.QuoteBatch.Item>> _pending = new();
    private readonly Dictionary<IActorRef, HashSet<string>> _wants = new();
    private bool _flushQueued;
    /// <summary>The length of this node's address, with which the entities' paths start on the wire.</summary>
    private readonly int _addressLength = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString().Length;

    public UpdateBatcher()
    {
        Receive<Publish>(OnPublish);
        Receive<Flush>(_ => OnFlush());
        Receive<RenewWant>(OnRenewWant);
        Receive<FlushWants>(_ => OnFlushWants());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void OnRenewWant(RenewWant renew)
    {
        if (!_wants.TryGetValue(renew.Upstream, out var symbols)) _wants[renew.Upstream] = symbols = new HashSet<string>(StringComparer.Ordinal);
        symbols.Add(renew.Symbol);
        if (!Timers.IsTimerActive("wants")) Timers.StartSingleTimer("wants", FlushWants.Instance, renew.Within);
    }

    private void OnFlushWants()
    {
        var batched = NodeBatches.ReadByAll(Context.System);
        foreach (var (upstream, symbols) in _wants)
        {
            if (!batched)
            {
                foreach (var symbol in symbols) upstream.Tell(new UpstreamProtocol.Want(symbol));
                continue;
            }
            foreach (var chunk in symbols.Chunk(MaxWantsPerBatch)) upstream.Tell(new UpstreamProtocol.WantBatch(chunk));
        }
        _wants.Clear();
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
            foreach (var chunk in RemoteChunks.BySize(updates, item => EstimatedBytes(item, _addressLength))) hub.Tell(new SymbolProtocol.QuoteBatch(chunk));
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
