using Quotes.Simulator;
using Quotes.Testing;

namespace Quotes.Client.Tests;

/// <summary>
/// A real AkkaQuotes host on Kestrel (127.0.0.1) with a one-node cluster, fed by a real simulator over a real WebSocket,
/// started as Quotes.Host.Tests starts its hosts (<see cref="QuotesHostFactory"/> with test timings).
/// <see cref="StopAsync"/> stops it (clients get 1001) and <see cref="StartAgainAsync"/> starts a new one on the same
/// port, against the same simulator.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string ClientKey = "test-client-key-0001";
    private const string PolygonKey = "test-polygon-key-0001";

    private readonly RunningSimulator _simulator;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private QuotesHostFactory? _app;

    private TestHost(RunningSimulator simulator, IReadOnlyDictionary<string, string?> settings, QuotesHostFactory app, Uri baseUrl, LogSignal logs)
    {
        _simulator = simulator;
        _settings = settings;
        _app = app;
        BaseUrl = baseUrl;
        Logs = logs;
    }

    public Uri BaseUrl { get; }

    /// <summary>The current host's log.</summary>
    public LogSignal Logs { get; private set; }

    public Uri SocketUrl => new UriBuilder(BaseUrl) { Scheme = "ws", Path = "/ws" }.Uri;

    /// <param name="settings">Settings of the host's beside the test ones (a lowered limit, say).</param>
    public static async Task<TestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        settings ??= new Dictionary<string, string?>();
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [PolygonKey], EventsPerSecond = 10 });
        var (app, baseUrl, logs) = await StartAppAsync(simulator, settings, port: 0);
        return new TestHost(simulator, settings, app, baseUrl, logs);
    }

    /// <summary>Stops the host: its clients get 1001, and nothing listens on the port until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is null) return;
        await StopAppAsync(_app);
        _app = null;
    }

    /// <summary>Starts a new host on the same address as the first one; returns once it is ready.</summary>
    public async Task StartAgainAsync() => (_app, _, Logs) = await StartAppAsync(_simulator, _settings, BaseUrl.Port);

    public QuotesClient CreateClient(string key = ClientKey) => new(new QuotesClientOptions
    {
        Url = SocketUrl,
        ApiKey = key,
        MinReconnectDelay = TimeSpan.FromMilliseconds(100),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(30), // a request made while the host restarts waits for it
    });

    private static async Task<(QuotesHostFactory App, Uri BaseUrl, LogSignal Logs)> StartAppAsync(
        RunningSimulator simulator, IReadOnlyDictionary<string, string?> extra, int port)
    {
        var settings = TestTimings.With(new Dictionary<string, string?>(extra)
        {
            ["Polygon:ApiKey"] = PolygonKey,
            ["Polygon:WebSocketUrl"] = simulator.WebSocketUrl.ToString(),
            ["Polygon:RestUrl"] = simulator.HttpUrl.ToString(),
            ["Polygon:Feed"] = "simulator",
            ["Auth:ApiKeys:0"] = ClientKey,
        });
        var logs = new LogSignal();
        var app = new QuotesHostFactory(settings, port, logs, logging: configuration => configuration.MinimumLevel.Debug());
        try
        {
            var address = await app.StartAsync();
            await HostReadiness.WaitAsync(address);
            return (app, address, logs);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task StopAppAsync(QuotesHostFactory app) => await app.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _simulator.DisposeAsync();
    }
}
