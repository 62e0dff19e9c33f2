using Quotes.Actors.Messages;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>The refill after a reconnect, against the simulator's REST snapshot.</summary>
public sealed class UpstreamRefillSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IAsyncLifetime
{
    private const string Key = "upstream-refill-spec-key";
    private RunningSimulator _simulator = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public void Symbols_subscribed_within_one_lease_of_auth_success_are_refilled_and_later_ones_are_not()
    {
        var refill = new UpstreamRefill(new SnapshotBatcher(() => throw new InvalidOperationException("not read")), TestActor, TimeSpan.FromSeconds(8));
        var authenticated = new DateTime(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);

        Assert.True(refill.Covers(authenticated, authenticated));
        Assert.True(refill.Covers(authenticated, authenticated.AddSeconds(7.9)));
        Assert.False(refill.Covers(authenticated, authenticated.AddSeconds(8)));
    }

    [Fact]
    public async Task Every_symbol_with_a_snapshot_is_handed_to_its_entity_in_one_batch_request()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var symbol in new[] { "RFA", "RFB" }) _simulator.Market.Walk(symbol).Next(now);
        var polygon = new PolygonOptions { ApiKey = Key, RestUrl = _simulator.HttpUrl.ToString() };
        var rest = new PolygonRestClient(_http, polygon);
        var refill = new UpstreamRefill(new SnapshotBatcher(() => rest), TestActor, TimeSpan.FromSeconds(8));

        var done = await refill.RefillAsync(["RFA", "RFB", "ZZZZZZ"]);

        Assert.Equal(new UpstreamRefill.Done(2, 1), done);
        var refreshed = new[] { ExpectMsg<SymbolProtocol.Refresh>(), ExpectMsg<SymbolProtocol.Refresh>() };
        Assert.Equal(["RFA", "RFB"], refreshed.Select(r => r.Symbol).Order());
        Assert.Equal(1, _simulator.Market.RestCalls("/v2/snapshot/locale/us/markets/stocks/tickers"));
    }
}
