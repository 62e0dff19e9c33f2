using System.Net;
using System.Reflection;
using Akka.Actor;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Host.WebSockets;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>
/// The pod's probes and its stop, against a running host (real Kestrel on loopback): the probe paths are endpoints the
/// host maps and answers without a key, and the termination grace period outlasts the pre-stop pause plus the
/// longest graceful leave the host's own shutdown settings allow.
/// </summary>
public sealed class KubernetesLifecycleSpecs : IAsyncLifetime
{
    private readonly Manifests _manifests = Manifests.Load();
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_probe_paths_are_endpoints_the_host_maps_and_answers_without_a_key()
    {
        var routes = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var http = _server.CreateHttpClient(); // no key
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            var path = _manifests.Container.Str(probe, "httpGet", "path");
            Assert.Contains(path, routes);
            using var response = await http.GetAsync(path); // the server is ready: both answer 200
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe} GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        using var unmapped = await http.GetAsync("/health/unmapped");
        Assert.Equal(HttpStatusCode.NotFound, unmapped.StatusCode); // a 200 above is not a catch-all
    }

    [Fact]
    public void The_grace_period_outlasts_the_pre_stop_pause_and_the_longest_graceful_leave()
    {
        var pod = _manifests.Deployment.Root.At("spec", "template", "spec");
        var grace = TimeSpan.FromSeconds(pod.Int("terminationGracePeriodSeconds"));
        var preStop = PreStopPause(_manifests.Container.At("lifecycle", "preStop"));

        // The leave after SIGTERM: clients get their 1001 and this long to answer it, then Akka's coordinated shutdown
        // (leave, shard and singleton hand-over) runs its phases, each bounded by its timeout.
        var clientsClose = (TimeSpan)typeof(SocketPump).GetField("CloseGrace", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var akka = CoordinatedShutdown.Get(_server.System).TotalTimeout;
        Assert.True(preStop > TimeSpan.Zero, "a pre-stop pause lets the Services drop the pod before it refuses upgrades");
        Assert.True(grace >= preStop + clientsClose + akka,
            $"terminationGracePeriodSeconds {grace.TotalSeconds} s < pre-stop {preStop.TotalSeconds} s + clients {clientsClose.TotalSeconds} s + coordinated shutdown {akka.TotalSeconds} s");
    }

    /// <summary>The pre-stop hook's pause: <c>sleep: {seconds: N}</c>, or an exec of <c>sleep N</c>.</summary>
    private static TimeSpan PreStopPause(YamlDotNet.RepresentationModel.YamlNode preStop)
    {
        if (preStop.TryAt("sleep", "seconds") is { } seconds) return TimeSpan.FromSeconds(seconds.Int());
        var command = preStop.Items("exec", "command").Select(c => c.Str()).ToArray();
        Assert.True(command is ["sleep", _], "the pre-stop hook is a pause: " + string.Join(' ', command));
        return TimeSpan.FromSeconds(int.Parse(command[1]));
    }
}
