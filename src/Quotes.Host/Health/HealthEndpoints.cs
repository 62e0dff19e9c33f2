using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quotes.Actors.Fanout;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Host.Composition;

namespace Quotes.Host.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (cluster member, the hub reporting within
/// <c>Health:HubReportTimeout</c>, upstream connected). No key.
/// </summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddQuotesHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateProblems(o => o.Problems()).ValidateOnStart();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapQuotesHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReportAsync });
        return app;
    }

    /// <summary>
    /// The status word, the upstream state and the feed: enough for a probe and for a person to see that prices are
    /// simulated. The upstream's reason (which may name the provider's host) is for operators, in <c>/admin/cluster</c>.
    /// </summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d));
        return context.Response.WriteAsync($"{report.Status}: {string.Join("; ", reasons)}");
    }

    /// <summary>
    /// Reads what the hub published and the cluster's own view of this member: no actor round trip per probe. What the hub
    /// published counts only while it keeps reporting (once a second), so a stopped or stuck hub turns the node unready.
    /// </summary>
    private sealed class ReadinessCheck(ActorSystem system, NodeStatus status, PolygonOptions polygon, IOptionsMonitor<HealthOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            var feed = $"feed {status.Feed}";
            var cluster = Akka.Cluster.Cluster.Get(system);
            var self = cluster.SelfMember;
            if (self.Status != Akka.Cluster.MemberStatus.Up)
                return Task.FromResult(HealthCheckResult.Unhealthy($"{Membership(cluster, self)}; {feed}"));
            var silent = status.SinceReport;
            if (silent > options.CurrentValue.HubReportTimeout)
                return Task.FromResult(HealthCheckResult.Unhealthy($"the node's hub has not reported for {silent.TotalSeconds:0} s; {feed}"));
            if (polygon.Required && status.Feed == NodeStatus.SimulatorFeed)
                return Task.FromResult(HealthCheckResult.Unhealthy($"the upstream is a simulator and Polygon:Required is set; {feed}"));
            var upstream = status.Current.Upstream;
            return Task.FromResult(upstream == UpstreamStates.Connected
                ? HealthCheckResult.Healthy($"upstream connected; {feed}")
                : HealthCheckResult.Unhealthy($"upstream {upstream}; {feed}"));
        }

        /// <summary>
        /// Akka gives a node that has not joined yet the status <c>Removed</c>, as it does a node that was removed: one that
        /// has heard of no member at all, itself included, and whose cluster still runs, has not joined yet (a removed node's
        /// cluster shuts down), and is said to be joining.
        /// </summary>
        private static string Membership(Akka.Cluster.Cluster cluster, Akka.Cluster.Member self) =>
            self.Status == Akka.Cluster.MemberStatus.Removed && cluster.State.Members.IsEmpty && !cluster.IsTerminated
                ? "not a cluster member yet: joining"
                : $"cluster member status is {self.Status}";
    }
}
