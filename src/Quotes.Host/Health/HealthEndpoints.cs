using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quotes.Actors.Fanout;
using Quotes.Contracts;

namespace Quotes.Host.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (cluster member and upstream connected). No key.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddQuotesHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapQuotesHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReportAsync });
        return app;
    }

    /// <summary>The status word plus the reason, so an operator sees why a node is not ready (never a secret: reasons are ours).</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d));
        return context.Response.WriteAsync($"{report.Status}: {string.Join("; ", reasons)}");
    }

    private sealed class ReadinessCheck(ActorSystem system, IRequiredActor<NodeHub> hub) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            var member = Akka.Cluster.Cluster.Get(system).SelfMember;
            if (member.Status != Akka.Cluster.MemberStatus.Up) return HealthCheckResult.Unhealthy($"cluster member status is {member.Status}");
            var report = await hub.ActorRef.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, TimeSpan.FromSeconds(2), ct);
            return report.Upstream == UpstreamStates.Connected
                ? HealthCheckResult.Healthy("upstream connected")
                : HealthCheckResult.Unhealthy($"upstream {report.Upstream}: {report.UpstreamReason}");
        }
    }
}
