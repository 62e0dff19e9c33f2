using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Messages;
using Quotes.Actors.Upstream;
using Quotes.Simulator;
using Serilog;

namespace Quotes.Testing;

/// <summary>
/// A real AkkaQuotes host (<see cref="QuotesHostFactory"/>: <c>Program</c> on Kestrel, 127.0.0.1:0) with a one-node
/// cluster, fed by a real simulator over a real WebSocket. Timings are shortened so leases, lingers and backoffs play out
/// in seconds.
/// </summary>
public sealed class QuotesServer : IAsyncDisposable
{
    public const string ClientKey = "test-client-key-0001";
    public const string PolygonKey = "test-polygon-key";

    private readonly QuotesHostFactory _host;
    private readonly RunningSimulator? _ownedSimulator;

    private QuotesServer(QuotesHostFactory host, Uri baseUrl, RunningSimulator? simulator, bool owned, LogCapture logs)
    {
        _host = host;
        Logs = logs;
        BaseUrl = baseUrl;
        Simulator = simulator;
        _ownedSimulator = owned ? simulator : null;
    }

    public Uri BaseUrl { get; }

    /// <summary>Every log event of this host, from the first line on.</summary>
    public LogCapture Logs { get; }
    public RunningSimulator? Simulator { get; }
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a simulator and a host pointed at it.</summary>
    public static async Task<QuotesServer> StartAsync(IDictionary<string, string?>? overrides = null, SimulatorOptions? simulatorOptions = null,
        Action<LoggerConfiguration>? logging = null, Action<AkkaConfigurationBuilder>? akka = null)
    {
        var simulator = await SimulatorServer.StartAsync(simulatorOptions ?? new SimulatorOptions { ApiKeys = [PolygonKey], EventsPerSecond = 10 });
        var settings = new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = PolygonKey,
            ["Polygon:WebSocketUrl"] = simulator.WebSocketUrl.ToString(),
            ["Polygon:RestUrl"] = simulator.HttpUrl.ToString(),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        return await StartHostAsync(settings, simulator, owned: true, logging: logging, akka: akka);
    }

    /// <summary>Starts a host with only the given settings (plus test timings), e.g. none at all for the embedded simulator.</summary>
    public static async Task<QuotesServer> StartHostAsync(IDictionary<string, string?> settings, RunningSimulator? simulator = null, bool owned = false,
        bool waitUntilReady = true, Action<LoggerConfiguration>? logging = null, Action<AkkaConfigurationBuilder>? akka = null,
        bool productionClusterTimings = false)
    {
        // A faulted task nobody observed is reported when it is collected, through the process's one logger (the host's
        // handler logs it as an error): collected now, what earlier specs left (a test host's own tasks after a start that
        // failed, for one) lands in the log of a host already done with, not in the one this spec is about to check.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var all = TestTimings.With([new("Auth:ApiKeys:0", ClientKey), .. settings]);

        var logs = new LogCapture();
        var host = new QuotesHostFactory(all, port: 0, logs, logging, akka, productionClusterTimings);
        Uri address;
        try
        {
            address = await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            // A start that failed leaves faulted tasks of the test host behind, which nobody observes (CI once saw one
            // reported as an error in a later spec's host): collected now, while the failed start is the spec at hand.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            throw;
        }
        var server = new QuotesServer(host, address, simulator ?? host.Services.GetService<RunningSimulator>(), owned, logs);
        if (waitUntilReady) await server.WaitUntilReadyAsync();
        return server;
    }

    public ActorSystem System => Services.GetRequiredService<ActorSystem>();

    /// <summary>This node's cluster address, to use as another node's seed.</summary>
    public string AkkaAddress => Akka.Cluster.Cluster.Get(System).SelfAddress.ToString();

    public Task WaitUntilReadyAsync() => HostReadiness.WaitAsync(BaseUrl);

    public Uri SocketUri(string path = "/ws", string? key = ClientKey) =>
        new UriBuilder(BaseUrl) { Scheme = "ws", Path = path, Query = key is null ? "" : "apiKey=" + Uri.EscapeDataString(key) }.Uri;

    /// <summary>Connects to <c>/ws</c> and reads up to the first status, as every client does.</summary>
    public async Task<TestSocket> ConnectAsync(string path = "/ws")
    {
        var socket = await TestSocket.ConnectAsync(SocketUri(path));
        await socket.ExpectAsync("type", "status");
        return socket;
    }

    /// <summary>The upstream singleton's own report.</summary>
    public Task<UpstreamProtocol.Report> UpstreamReportAsync() =>
        Services.GetRequiredService<IRequiredActor<UpstreamActor>>().ActorRef.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, TimeSpan.FromSeconds(5));

    /// <summary>An HTTP client for this host, sending <paramref name="bearer"/> as its key when given.</summary>
    public HttpClient CreateHttpClient(string? bearer = null)
    {
        var http = new HttpClient { BaseAddress = BaseUrl };
        if (bearer is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_ownedSimulator is not null) await _ownedSimulator.DisposeAsync();
    }
}
