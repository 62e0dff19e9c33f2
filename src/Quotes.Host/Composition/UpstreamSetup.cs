using System.Security.Cryptography;
using Quotes.Actors.Fanout;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Simulator;

namespace Quotes.Host.Composition;

/// <summary>
/// Decides what the upstream talks to. A Polygon key (<c>Polygon:ApiKey</c> or <c>POLYGON_API_KEY</c>) or a URL override:
/// use them as given. Neither: start the simulator in-process on a loopback port, with a random key of its own,
/// and point the upstream at it. The upstream always speaks the real protocol over a real socket. Which one it is, is the
/// node's feed (<see cref="NodeStatus.Feed"/>): clients, probes and operators are told when prices are simulated.
/// </summary>
public static class UpstreamSetup
{
    public static async Task<PolygonOptions> AddUpstreamAsync(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Polygon").Get<PolygonOptions>() ?? new PolygonOptions();
        if (string.IsNullOrEmpty(options.ApiKey)) options.ApiKey = builder.Configuration["POLYGON_API_KEY"];
        // One setting, under Limits: like the other bounds of a REST read; binding the Polygon section would take a
        // Polygon:MaxProviderPages too, which is refused rather than silently overridden.
        if (builder.Configuration["Polygon:MaxProviderPages"] is not null)
            throw new InvalidOperationException("Polygon:MaxProviderPages is not a setting: the provider pages one REST read follows are Limits:MaxProviderPages");
        options.MaxProviderPages = LimitSetting.Int(builder.Configuration, "Limits:MaxProviderPages", options.MaxProviderPages, 1, PolygonOptions.MaxProviderPagesCeiling);
        options.AllowedHosts = AkkaSetup.List(builder.Configuration, "Polygon:AllowedHosts", options.AllowedHosts ?? []);

        if (options.Feed is not ("realtime" or "delayed" or NodeStatus.SimulatorFeed))
            throw new InvalidOperationException($"Polygon:Feed must be realtime, delayed or simulator (a standalone simulator); it is '{options.Feed}'");
        if (options.Problems() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join("; ", problems));
        var embedded = string.IsNullOrEmpty(options.ApiKey) && string.IsNullOrEmpty(options.WebSocketUrl);
        if (options.Feed == NodeStatus.SimulatorFeed && builder.Configuration.GetValue<bool>("Polygon:Required"))
            throw new InvalidOperationException("Polygon:Required is set but Polygon:Feed is simulator: refusing to serve simulated prices");
        // Production deployments set Polygon:Required so that a lost key fails the start instead of serving simulated prices.
        if (embedded && builder.Configuration.GetValue<bool>("Polygon:Required"))
            throw new InvalidOperationException(
                "Polygon:Required is set but no Polygon key is configured (Polygon:ApiKey or POLYGON_API_KEY): refusing to start on the built-in simulator");
        if (options.RequiredUpstreamProblems() is { Count: > 0 } wrongUpstream) throw new InvalidOperationException(string.Join("; ", wrongUpstream));
        if (embedded)
        {
            var simulatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var simulatorOptions = builder.Configuration.GetSection("Simulator").Get<SimulatorOptions>() ?? new SimulatorOptions();
            simulatorOptions.ApiKeys = [simulatorKey];
            if (simulatorOptions.MarketState is not (null or MarketStates.Open or MarketStates.Closed or MarketStates.ExtendedHours))
                throw new InvalidOperationException($"Simulator:MarketState must be open, closed or extended-hours; it is '{simulatorOptions.MarketState}'");
            MarketCalendar.Forced = simulatorOptions.MarketState; // the node's market status follows the simulated market
            // Built apart from the app's async context: tools that run Program and take the first host built in it for the
            // app's (WebApplicationFactory, build-time OpenAPI generation) would otherwise take the simulator's.
            Task<RunningSimulator> starting;
            using (ExecutionContext.SuppressFlow()) starting = Task.Run(() => SimulatorServer.StartAsync(simulatorOptions));
            var simulator = await starting;
            builder.Services.AddSingleton(simulator);
            builder.Services.AddHostedService<EmbeddedSimulatorLifetime>();
            options.ApiKey = simulatorKey;
            options.WebSocketUrl = simulator.WebSocketUrl.ToString();
            options.RestUrl = simulator.HttpUrl.ToString();
            options.Feed = NodeStatus.SimulatorFeed;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new NodeStatus(embedded ? NodeStatus.SimulatorFeed : options.Feed));
        builder.Services.AddPolygonRestClient(options);
        return options;
    }

    /// <summary>Stops the embedded simulator after everything registered later (the actor system) has stopped.</summary>
    private sealed class EmbeddedSimulatorLifetime(RunningSimulator simulator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => simulator.DisposeAsync().AsTask();
    }
}
