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
        var options = builder.AddSettingsNow<PolygonOptions>("Polygon", o => Problems(o, builder.Configuration), (o, configuration) =>
        {
            if (string.IsNullOrEmpty(o.ApiKey)) o.ApiKey = configuration["POLYGON_API_KEY"];
            // One setting, under Limits: like the other bounds of a REST read (a Polygon:MaxProviderPages is refused below).
            o.MaxProviderPages = configuration.GetValue("Limits:MaxProviderPages", o.MaxProviderPages);
            o.AllowedHosts = SettingsValidation.List(configuration, "Polygon:AllowedHosts", o.AllowedHosts ?? []);
        });
        var embedded = IsEmbedded(options);
        if (embedded)
        {
            var simulatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var simulatorOptions = builder.AddSettingsNow<SimulatorOptions>("Simulator", o => o.MarketState is null or MarketStates.Open or MarketStates.Closed or MarketStates.ExtendedHours
                ? []
                : [$"Simulator:MarketState must be open, closed or extended-hours; it is '{o.MarketState}'"]);
            simulatorOptions.ApiKeys = [simulatorKey];
            // The node's market status follows the simulated market, which trades around the clock unless told otherwise:
            // a first screen at night shows prices moving under "Market: open", not under "closed".
            MarketCalendar.Forced = simulatorOptions.MarketState ?? MarketStates.Open;
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

    /// <summary>Neither a key nor a socket URL: the simulator runs in-process.</summary>
    private static bool IsEmbedded(PolygonOptions options) => string.IsNullOrEmpty(options.ApiKey) && string.IsNullOrEmpty(options.WebSocketUrl);

    private static IEnumerable<string> Problems(PolygonOptions options, IConfiguration configuration)
    {
        if (configuration["Polygon:MaxProviderPages"] is not null)
            yield return "Polygon:MaxProviderPages is not a setting: the provider pages one REST read follows are Limits:MaxProviderPages";
        if (options.Feed is not ("realtime" or "delayed" or NodeStatus.SimulatorFeed))
            yield return $"Polygon:Feed must be realtime, delayed or simulator (a standalone simulator); it is '{options.Feed}'";
        foreach (var problem in options.Problems()) yield return problem;
        // Production deployments set Polygon:Required so that a lost key fails the start instead of serving simulated prices.
        if (options.Required && options.Feed == NodeStatus.SimulatorFeed)
            yield return "Polygon:Required is set but Polygon:Feed is simulator: refusing to serve simulated prices";
        if (options.Required && IsEmbedded(options))
            yield return "Polygon:Required is set but no Polygon key is configured (Polygon:ApiKey or POLYGON_API_KEY): refusing to start on the built-in simulator";
        foreach (var problem in options.RequiredUpstreamProblems()) yield return problem;
    }

    /// <summary>Stops the embedded simulator after everything registered later (the actor system) has stopped.</summary>
    private sealed class EmbeddedSimulatorLifetime(RunningSimulator simulator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => simulator.DisposeAsync().AsTask();
    }
}
