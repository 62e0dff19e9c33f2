using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;

namespace Quotes.Actors.Telemetry;

/// <summary>
/// Refreshes the node gauges of <see cref="QuotesMetrics"/> that live inside actors: every <see cref="Interval"/> it asks
/// this node's hub for its report (clients, symbols, subscriptions, upstream state, outbox backlog) and the local shard
/// region for its stats (shards, entities). A scrape reads the last answers; the data path is never asked per scrape.
/// </summary>
public sealed class NodeGauges : ReceiveActor, IWithTimers
{
    /// <summary>
    /// How stale a node gauge may be; Prometheus scrapes every 15 s by default. Each refresh costs the hub one pass over its
    /// sessions (their outboxes' backlog), so not much more often than that.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    // A tick to self: it leaves a receive timeout alone and makes no dead-letter noise once the actor is gone.
    private sealed class Refresh : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Refresh Instance = new(); }
    private sealed record RegionStats(ShardRegionStats Stats);
    private sealed class Missed { public static readonly Missed Instance = new(); }

    public NodeGauges(IActorRef hub, IActorRef region)
    {
        var metrics = QuotesMetrics.For(Context.System);
        Receive<Refresh>(_ =>
        {
            // Asked, not watched: an answer that does not come in time is simply missed until the next refresh.
            hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, Interval).PipeTo(Self, failure: _ => Missed.Instance);
            region.Ask<ShardRegionStats>(GetShardRegionStats.Instance, Interval).PipeTo(Self, success: s => new RegionStats(s), failure: _ => Missed.Instance);
        });
        Receive<HubProtocol.Report>(metrics.HubReported);
        Receive<RegionStats>(r => metrics.RegionReported(r.Stats.Stats.Count, r.Stats.Stats.Values.Sum()));
        Receive<Missed>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Self.Tell(Refresh.Instance);
        Timers.StartPeriodicTimer("refresh", Refresh.Instance, Interval);
    }
}

/// <summary>Starts this node's <see cref="NodeGauges"/>.</summary>
public static class NodeGaugesExtensions
{
    public static AkkaConfigurationBuilder AddNodeGauges(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
            system.ActorOf(Props.Create(() => new NodeGauges(registry.Get<NodeHub>(), registry.Get<SymbolActor>())), "node-gauges"));
}
