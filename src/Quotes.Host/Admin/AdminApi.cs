using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Quotes.Actors.Cluster;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
using Quotes.Contracts;
using Quotes.Host.Auth;

namespace Quotes.Host.Admin;

/// <summary>
/// <c>GET /admin/cluster</c>: members; per node its shards and entities, clients, symbols held, subscriptions, outbox backlog
/// and slow consumers closed, and whether it holds the upstream; the upstream's node, state and subscribed symbol count.
/// <c>GET /admin/wire</c>: this node's cross-node traffic per message kind.
/// </summary>
public static class AdminApi
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(QuotesAuth.AdminPolicy).WithTags(AdminRoutesHidden.Tag);
        admin.MapGet("/cluster", ClusterAsync).Produces<RestSuccess<ClusterReport>>().Produces<RestError>(401).Produces<RestError>(403);
        admin.MapGet("/wire", Wire).Produces<RestSuccess<WireReport>>().Produces<RestError>(401).Produces<RestError>(403);
        return app;
    }

    /// <summary>This node's cross-node traffic since it started, per message kind (see <see cref="WireTraffic"/>).</summary>
    private static IResult Wire(ActorSystem system)
    {
        static List<WireCount> Counts(IReadOnlyDictionary<string, (long Messages, long Bytes)> counts) =>
            counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new WireCount(c.Key, c.Value.Messages, c.Value.Bytes)).ToList();
        var report = new WireReport(Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(), system.Uptime.TotalSeconds,
            Counts(WireTraffic.SentSoFar()), Counts(WireTraffic.ReceivedSoFar()));
        return Results.Json(new RestSuccess<WireReport>(report), QuotesJsonContext.Default.RestSuccessWireReport);
    }

    private static async Task<IResult> ClusterAsync(ActorSystem system, IRequiredActor<UpstreamActor> upstream, NodeStatus status, CancellationToken ct)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members
            .Select(m => new ClusterMember(m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToList(), !state.Unreachable.Contains(m)))
            .ToList();

        // Each node's region and hub are asked directly, so an unreachable node leaves only its own row unknown (sharding's
        // GetClusterShardingStats answers nothing at all then, and leaves its failed asks unobserved). Every ask is wrapped
        // at once, so none is left unobserved when another one fails first.
        var upstreamTask = Quietly(upstream.ActorRef.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Timeout, ct));
        var asked = state.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up).ToDictionary(
            m => m.Address,
            m => (Region: Quietly(system.ActorSelection(new RootActorPath(m.Address) / "system" / "sharding" / SymbolActorExtensions.RegionName)
                      .Ask<ShardRegionStats>(GetShardRegionStats.Instance, Timeout, ct)),
                  Hub: Quietly(system.ActorSelection(new RootActorPath(m.Address) / "user" / NodeHub.Name).Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, Timeout, ct))));

        var up = await upstreamTask;
        var nodes = new List<NodeReport>();
        foreach (var member in state.Members)
        {
            var (regionStats, hub) = asked.TryGetValue(member.Address, out var tasks) ? (await tasks.Region, await tasks.Hub) : (null, null);
            var address = member.Address.ToString();
            nodes.Add(new NodeReport(address, regionStats?.Stats.Count ?? 0, regionStats?.Stats.Values.Sum() ?? 0, hub?.Sessions, hub?.Symbols,
                hub?.Subscriptions, hub?.Backlog is { } b ? new NodeBacklog(b.PendingQuotes, b.PendingControl, b.LargestOutbox, b.Conflated) : null,
                hub?.SlowConsumersClosed, up?.Node == address));
        }

        var report = new ClusterReport(
            cluster.SelfAddress.ToString(),
            members,
            up is null
                ? new UpstreamReport("unknown", "unknown", "the upstream singleton did not answer", 0, 0)
                : new UpstreamReport(up.Node, up.State, up.Reason, up.Subscribed.Count, up.ConnectionsOpened, up.MaxSymbols, up.OverCap, up.Conflated, up.Malformed),
            nodes,
            status.Feed);
        return Results.Json(new RestSuccess<ClusterReport>(report), QuotesJsonContext.Default.RestSuccessClusterReport);
    }

    /// <summary>A part of the report that did not come in time (a node unreachable or leaving) is reported as unknown.</summary>
    private static async Task<T?> Quietly<T>(Task<T> task) where T : class
    {
        try { return await task; }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException or ActorNotFoundException) { return null; }
    }
}
