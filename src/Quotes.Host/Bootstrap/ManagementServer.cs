using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using Quotes.Actors.Cluster;
using Serilog;

namespace Quotes.Host.Bootstrap;

/// <summary>
/// Serves <see cref="SeedNodesRoute"/> on <c>Akka:Bootstrap:ManagementPort</c>, then starts cluster bootstrap. A Kestrel
/// of its own rather than a second port on the node's: nothing else of the node (dashboard, sockets, admin) is reachable
/// on the management port, and the node's own listener stays as <c>ASPNETCORE_URLS</c> sets it. It stands in for Akka
/// Management's HTTP server, which cannot run with the dependencies served to this project. It binds the interface
/// remoting binds (<c>Akka:Hostname</c>, else <c>Akka:PublicHost</c>'s), every interface only when <c>0.0.0.0</c> is set.
/// </summary>
public sealed class ManagementServer(IServiceProvider services, AkkaNodeOptions node) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where the other nodes reach this one's management port: the contact point discovery lists for it.</summary>
    public Uri SelfContactPoint => new UriBuilder(Uri.UriSchemeHttp, node.EffectivePublicHost, node.Bootstrap.ManagementPort).Uri;

    public async Task StartAsync(CancellationToken ct)
    {
        // Registered after the actor system's own hosted service, so the system is running by now.
        var system = services.GetRequiredService<ActorSystem>();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var host = node.EffectiveHostname;
            // localhost: both loopbacks, or whichever this machine has (Kestrel tolerates a missing IPv6 loopback).
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) kestrel.ListenLocalhost(node.Bootstrap.ManagementPort);
            else foreach (var address in AddressesOf(host)) kestrel.Listen(address, node.Bootstrap.ManagementPort);
        });
        builder.Services.AddRoutingCore();
        // The node's host handles SIGTERM and stops this server; a console lifetime here would react to it as well.
        builder.Services.AddSingleton<IHostLifetime, StoppedByTheNode>();
        // Warnings and errors only: its start and stop lines would read like the node's own.
        builder.Services.AddSerilog(new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Logger(Log.Logger).CreateLogger(), dispose: true);
        _app = builder.Build();
        _app.MapGet(SeedNodesRoute.Path, () => SeedNodesRoute.Answer(system));
        await _app.StartAsync(ct);

        var bootstrap = ClusterBootstrap.Get(system);
        // The routes themselves go unused (they need Akka Management's server); asking for them is how bootstrap learns
        // its own contact point, which it must recognise among the discovered ones to form a cluster.
        bootstrap.Routes(ManagementRouteProviderSettings.Create(SelfContactPoint, true));
        Log.Information("Cluster bootstrap: {Discovery} discovery of {Service}, {Required} contact points required; this node's contact point {ContactPoint}, management port {Port} open",
            node.Bootstrap.Discovery, node.Bootstrap.ServiceName, node.Bootstrap.RequiredContactPoints, SelfContactPoint, node.Bootstrap.ManagementPort);
        await bootstrap.Start();
    }

    /// <summary>The addresses <paramref name="host"/> stands for: itself when it is one, else what the name resolves to.</summary>
    private static IPAddress[] AddressesOf(string host)
    {
        if (IPAddress.TryParse(host, out var ip)) return [ip];
        try
        {
            if (Dns.GetHostAddresses(host) is { Length: > 0 } found) return found.Distinct().ToArray();
        }
        catch (SocketException) { }
        throw new InvalidOperationException(
            $"Akka:Hostname: '{host}' (Akka:PublicHost when Akka:Hostname is not set) resolves to no address for the management port to bind; set Akka:Hostname to this node's address");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_app is not null) await _app.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private sealed class StoppedByTheNode : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
