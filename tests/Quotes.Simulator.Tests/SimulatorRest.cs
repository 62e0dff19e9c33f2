using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Quotes.Simulator.Tests;

/// <summary>A simulator on loopback and a client for its Polygon REST paths: the setup the REST specs share.</summary>
public sealed class SimulatorRest : IAsyncDisposable
{
    public const string Key = "sim-key";

    private SimulatorRest(RunningSimulator simulator) => (Simulator, Http) = (simulator, new HttpClient { BaseAddress = simulator.HttpUrl });

    public RunningSimulator Simulator { get; }
    public HttpClient Http { get; }
    public MarketSimulator Market => Simulator.Market;

    public static async Task<SimulatorRest> StartAsync(double eventsPerSecond = 20, string key = Key) =>
        new(await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [key], EventsPerSecond = eventsPerSecond }));

    /// <summary>GET with the key as a bearer token (none when <paramref name="key"/> is null); the status and the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery, string? key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
