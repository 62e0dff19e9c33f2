using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;

namespace Quotes.Actors.Cluster;

/// <summary>
/// How the cluster's last node shuts down: it closes the upstream, then stops its symbol region at once instead of
/// handing the shards off, since no other member could take them.
/// <para>
/// Sharding's graceful shutdown of a region ends only once the region has no shard left and no message waiting for a
/// shard's home. With no other member up, no shard gets a home: every message that reached the region after its
/// shutdown began (an aggregate of the still-running upstream, a subscription made a moment before) waited there until
/// sharding's own timer (the phase's 10 s less one) stopped the region itself, so such a stop took some 9 s longer than
/// it needed. Here the upstream gets the same <see cref="UpstreamProtocol.HandOver"/> as on a move
/// (its socket is closed politely first), and the region is stopped as sharding stops it at that timeout, in the
/// phase before the cluster's own shutdown. With other members up (or joining) nothing changes: the upstream streams
/// until the singleton moves, and the region hands its shards over. Nodes stopped at the same moment each still see
/// the others up, so they hand off as before (and may wait as before).
/// </para>
/// </summary>
public static class LastNodeShutdown
{
    /// <summary>How long the upstream may take to close: its close frame waits at most 2 s.</summary>
    private static readonly TimeSpan UpstreamWithin = TimeSpan.FromSeconds(2.5);

    /// <summary>How long finding the upstream and stopping the region may take each: all within the phase's 5 s.</summary>
    private static readonly TimeSpan LocalWithin = TimeSpan.FromSeconds(1);

    /// <summary>No member but this one could host a shard: every other one is leaving, exiting, down or removed.</summary>
    public static bool IsLast(Akka.Cluster.Cluster cluster) =>
        cluster.State.Members.All(m => m.UniqueAddress.Equals(cluster.SelfUniqueAddress)
                                       || m.Status is not (MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining));

    /// <summary>Registers the step with the node's coordinated shutdown (once, at start).</summary>
    public static AkkaConfigurationBuilder AddLastNodeShutdown(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) => CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown,
            "last-node-stops-upstream-and-region", () => StopAsync(system, registry)));

    private static async Task<Done> StopAsync(ActorSystem system, IActorRegistry registry)
    {
        if (!IsLast(Akka.Cluster.Cluster.Get(system))) return Done.Instance;
        system.Log.Info("Last node of the cluster: closing the upstream, then stopping the symbol region without a hand-off (no other node can take its shards)");
        var holder = $"/user/{UpstreamActorExtensions.Name}/{UpstreamActorExtensions.Name}";
        await StopAsync(() => system.ActorSelection(holder).ResolveOne(LocalWithin), UpstreamProtocol.HandOver.Instance, UpstreamWithin);
        if (registry.TryGet<SymbolActor>(out var region)) await StopAsync(() => Task.FromResult(region), PoisonPill.Instance, LocalWithin);
        return Done.Instance;
    }

    private static async Task StopAsync(Func<Task<IActorRef>> find, object stopMessage, TimeSpan within)
    {
        try
        {
            await (await find()).GracefulStop(within, stopMessage);
        }
        catch (Exception e) when (e is ActorNotFoundException or TaskCanceledException or TimeoutException or AskTimeoutException)
        {
            // Not running here, or slow to stop: sharding's own phase then does what it did before this step.
        }
    }
}
