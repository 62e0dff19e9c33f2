using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary><see cref="PolygonRestClient.GetSnapshotsAsync"/> against a real simulator over HTTP, read as days by <see cref="ProviderDay.Of"/>.</summary>
public sealed class PolygonBatchSnapshotSpecs : IAsyncLifetime
{
    private const string SimulatorKey = "sim-key";
    private const string BatchPath = "/v2/snapshot/locale/us/markets/stocks/tickers";
    private RunningSimulator _simulator = null!;
    private readonly HttpClient _http = new();
    private PolygonRestClient _rest = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [SimulatorKey] });
        _rest = new PolygonRestClient(_http, new PolygonOptions { ApiKey = SimulatorKey, RestUrl = _simulator.HttpUrl.ToString() });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    /// <summary>Symbols the simulator lists, each walked one step so its snapshot time is fixed rather than "now".</summary>
    private List<string> KnownSymbols(int count)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var symbols = Enumerable.Range(0, count).Select(i => $"ZB{i:D3}").ToList();
        foreach (var symbol in symbols) _simulator.Market.Walk(symbol).Next(end);
        return symbols;
    }

    [Fact]
    public async Task Six_hundred_symbols_come_back_in_three_requests()
    {
        var symbols = KnownSymbols(600);

        var snapshots = await _rest.GetSnapshotsAsync(symbols, CancellationToken.None);

        Assert.Equal(3, _simulator.Market.RestCalls(BatchPath));
        Assert.Equal(symbols.Order(StringComparer.Ordinal), snapshots.Keys.Order(StringComparer.Ordinal));
        foreach (var symbol in symbols)
        {
            var day = ProviderDay.Of(symbol, snapshots[symbol]);
            Assert.Equal(symbol, day.Day!.Symbol);
            Assert.Equal(_simulator.Market.Walk(symbol).Price, day.Day.Close);
            Assert.Equal(_simulator.Market.Walk(symbol).PreviousClose, day.PreviousClose);
        }
    }

    [Fact]
    public async Task Each_batch_result_agrees_with_the_single_ticker_snapshot()
    {
        var symbols = KnownSymbols(300);

        var snapshots = await _rest.GetSnapshotsAsync(symbols, CancellationToken.None);

        foreach (var symbol in new[] { symbols[0], symbols[251], symbols[^1] })
        {
            var single = (await _rest.GetTickerSnapshotAsync(symbol, CancellationToken.None))!;
            var day = ProviderDay.Of(symbol, snapshots[symbol]);
            var (bar, previousClose) = (day.Day!, day.PreviousClose);
            Assert.Equal(PolygonRestClient.LastPrice(single), bar.Close);
            Assert.Equal(single.PrevDay!.Close, previousClose);
            Assert.Equal((Math.Max(bar.Close, single.Day!.High), Math.Min(bar.Close, single.Day.Low), (long)single.Day.Volume, single.Day.Open, single.Day.Vwap),
                (bar.High, bar.Low, bar.AccumulatedVolume, bar.OfficialOpen, bar.DayVwap));
            Assert.Equal(single.Updated / 1_000_000, bar.End);
        }
    }

    [Fact]
    public async Task Symbols_the_simulator_does_not_know_are_left_out()
    {
        var symbols = KnownSymbols(2);

        var snapshots = await _rest.GetSnapshotsAsync([symbols[0], "UNLISTED1", symbols[1]], CancellationToken.None);

        Assert.Equal(symbols.Order(StringComparer.Ordinal), snapshots.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, _simulator.Market.RestCalls(BatchPath));
    }

    [Fact]
    public async Task An_empty_list_makes_no_request()
    {
        var snapshots = await _rest.GetSnapshotsAsync([], CancellationToken.None);

        Assert.Empty(snapshots);
        Assert.Equal(0, _simulator.Market.RestCalls(BatchPath));
    }
}
