using Akka;
using Akka.Actor;
using Akka.Cluster;
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
/// shards stopped (an aggregate of the still-running upstream, a subscription made just before the stop) waited there
/// until the phase timed out and sharding stopped the region itself. A node stopping while quotes flowed took some
/// 10 s longer than it needed. Here the upstream gets the same <see cref="UpstreamProtocol.HandOver"/> as on a move
/// (its socket is closed politely first), and the region is stopped as sharding stops it at that timeout, in the
/// phase before the cluster's own shutdown. With other members up nothing changes: the upstream streams until the
/// singleton moves, and the region hands its shards over.
/// </para>
/// </summary>
public static class LastNodeShutdown
{
    /// <summary>How long the upstream may take to close (its close frame waits at most 2 s), and the region to stop.</summary>
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(3);

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
        var holder = $"/user/{UpstreamActorExtensions.Name}/{UpstreamActorExtensions.Name}";
        await StopAsync(() => system.ActorSelection(holder).ResolveOne(StopWithin), UpstreamProtocol.HandOver.Instance);
        if (registry.TryGet<SymbolActor>(out var region)) await StopAsync(() => Task.FromResult(region), PoisonPill.Instance);
        return Done.Instance;
    }

    private static async Task StopAsync(Func<Task<IActorRef>> find, object stopMessage)
    {
        try
        {
            await (await find()).GracefulStop(StopWithin, stopMessage);
        }
        catch (Exception e) when (e is ActorNotFoundException or TaskCanceledException or TimeoutException or AskTimeoutException)
        {
            // Not running here, or slow to stop: sharding's own phase then does what it did before this step.
        }
    }
}
