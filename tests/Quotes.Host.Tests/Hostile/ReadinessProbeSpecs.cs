using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Fanout;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 6: <c>/health/ready</c> reads the status the hub published, with no actor round trip per request, so an
/// anonymous probe storm costs the hub nothing and the probe answers even when the hub cannot. What the hub published holds
/// only while it keeps reporting (once a second): a hub that stopped turns the node unready within <c>Health:HubReportTimeout</c>.
/// </summary>
public sealed class ReadinessProbeSpecs
{
    private static async Task<(HttpStatusCode Status, string Body)> ProbeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task StopHubAsync(QuotesServer server)
    {
        var hub = server.Services.GetRequiredService<ActorRegistry>().Get<NodeHub>();
        Assert.True(await hub.GracefulStop(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_probe_answers_from_the_published_status_while_the_hub_cannot_answer_at_all()
    {
        // A bound long enough that the storm below runs within it.
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Health:HubReportTimeout"] = "00:01:00" });
        using var http = server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(http)).Status);

        // The hub is gone: any question asked of it would go unanswered until a timeout.
        await StopHubAsync(server);

        // A storm of anonymous probes, all at once: each is answered from what the hub last published.
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => ProbeAsync(http)));
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "Healthy: upstream connected; feed simulator"), a));
    }

    [Fact]
    public async Task A_hub_that_stopped_reporting_turns_the_node_unready_within_the_bound()
    {
        var bound = TimeSpan.FromSeconds(2);
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Health:HubReportTimeout"] = bound.ToString() });
        using var http = server.CreateHttpClient();

        // Ready while the hub runs and reports.
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(http)).Status);

        await StopHubAsync(server);
        var stopped = Stopwatch.StartNew();

        // Its last report is at most a second old when it stops; the probe turns unready once the bound has passed since.
        await Eventually.HoldsAsync(async () =>
        {
            var (status, body) = await ProbeAsync(http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.StartsWith("Unhealthy: the node's hub has not reported for ", body);
        }, budget: bound + TimeSpan.FromSeconds(5));
        Assert.InRange(stopped.Elapsed, bound - TimeSpan.FromSeconds(1), bound + TimeSpan.FromSeconds(5)); // not before the bound
    }

    [Fact]
    public async Task A_node_that_has_not_joined_its_cluster_yet_says_so_instead_of_removed()
    {
        // Its only seed never answers, so it stays outside the cluster; Akka gives such a node the status Removed.
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?>
        {
            ["Akka:Hostname"] = "127.0.0.1",
            ["Akka:PublicHost"] = "127.0.0.1",
            ["Akka:Port"] = "0",
            ["Akka:Seeds:0"] = "akka.tcp://quotes@127.0.0.1:1",
        }, waitUntilReady: false);
        using var http = server.CreateHttpClient();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy: not a cluster member yet: joining; feed simulator"), await ProbeAsync(http));
    }
}
