using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Quotes.Actors.Fanout;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
using Quotes.Contracts;
using Quotes.Host.Auth;

namespace Quotes.Host.Admin;

/// <summary><c>GET /admin/cluster</c>: members, shards and entities per node, where the upstream lives and its state, clients per node.</summary>
public static class AdminApi
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/cluster", ClusterAsync).RequireAdminKey().WithTags("admin")
            .Produces<RestSuccess<ClusterReport>>().Produces<RestError>(401).Produces<RestError>(403);
        return app;
    }

    private static async Task<IResult> ClusterAsync(ActorSystem system, IRequiredActor<SymbolActor> region, IRequiredActor<UpstreamActor> upstream, CancellationToken ct)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members
            .Select(m => new ClusterMember(m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToList(), !state.Unreachable.Contains(m)))
            .ToList();

        var statsTask = region.ActorRef.Ask<ClusterShardingStats>(new GetClusterShardingStats(Timeout), Timeout + Timeout, ct);
        var upstreamTask = upstream.ActorRef.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Timeout, ct);
        var hubTasks = state.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up).ToDictionary(
            m => m.Address,
            m => system.ActorSelection(new RootActorPath(m.Address) / "user" / NodeHub.Name).Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, Timeout, ct));

        var stats = await Quietly(statsTask);
        var up = await Quietly(upstreamTask);
        var nodes = new List<NodeReport>();
        foreach (var member in state.Members)
        {
            var regionStats = stats?.Regions.GetValueOrDefault(member.Address);
            var hub = hubTasks.TryGetValue(member.Address, out var task) ? await Quietly(task) : null;
            nodes.Add(new NodeReport(member.Address.ToString(), regionStats?.Stats.Count ?? 0, regionStats?.Stats.Values.Sum() ?? 0, hub?.Sessions, hub?.Symbols));
        }

        var report = new ClusterReport(
            cluster.SelfAddress.ToString(),
            members,
            up is null
                ? new UpstreamReport("unknown", "unknown", "the upstream singleton did not answer", 0, 0)
                : new UpstreamReport(up.Node, up.State, up.Reason, up.Subscribed.Count, up.ConnectionsOpened),
            nodes);
        return Results.Json(new RestSuccess<ClusterReport>(report), QuotesJsonContext.Default.RestSuccessClusterReport);
    }

    private static async Task<T?> Quietly<T>(Task<T> task) where T : class
    {
        try { return await task; }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { return null; }
    }
}
