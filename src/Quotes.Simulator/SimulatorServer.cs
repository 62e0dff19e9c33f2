using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quotes.Contracts.Polygon;

namespace Quotes.Simulator;

/// <summary>Starts the simulator as its own Kestrel server, standalone or inside another process (the host's embedded default, tests).</summary>
public static class SimulatorServer
{
    /// <param name="embedded">
    /// Started inside another process: Kestrel reads none of that process's <c>Kestrel</c> settings (its environment and
    /// <c>appsettings.json</c>), so that the host's <c>Kestrel:Endpoints</c> are not taken as the simulator's own: it would
    /// bind the host's address, or need the host's HTTPS set-up, and the host could not start.
    /// </param>
    public static WebApplication Build(string[] args, SimulatorOptions options, LogLevel minimumLevel = LogLevel.Information, bool embedded = false)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // Kestrel's own configuration replaced by an empty one: the listener is the one StartAsync names.
        if (embedded) builder.WebHost.ConfigureKestrel(kestrel => kestrel.Configure(new ConfigurationBuilder().Build()));
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Services.AddPolygonSimulator(options);
        var app = builder.Build();
        // Every answer says it is simulated, as the socket's connected status does, unless told to pass for Polygon (read per
        // request: tests turn it on and off).
        app.Use((context, next) =>
        {
            if (options.AnnounceSimulated) context.Response.Headers[PolygonStatus.SimulatedHeader] = "true";
            return next(context);
        });
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapPolygonSimulator();
        return app;
    }

    /// <summary>Starts a simulator on <paramref name="url"/> (port 0 picks a free one) and returns where it listens.</summary>
    public static async Task<RunningSimulator> StartAsync(SimulatorOptions options, string url = "http://127.0.0.1:0", CancellationToken ct = default)
    {
        var app = Build([], options, LogLevel.Warning, embedded: true); // the host's logs tell the story
        app.Urls.Add(url);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningSimulator(app, new Uri(address), app.Services.GetRequiredService<MarketSimulator>());
    }
}

/// <summary>A simulator started by <see cref="SimulatorServer.StartAsync"/>; dispose to stop it.</summary>
public sealed class RunningSimulator(WebApplication app, Uri httpUrl, MarketSimulator market) : IAsyncDisposable
{
    /// <summary>REST base, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri HttpUrl { get; } = httpUrl;

    /// <summary>WebSocket base; <c>/stocks</c> is appended by clients, as with Polygon.</summary>
    public Uri WebSocketUrl { get; } = new UriBuilder(httpUrl) { Scheme = httpUrl.Scheme == "https" ? "wss" : "ws" }.Uri;

    public MarketSimulator Market { get; } = market;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
