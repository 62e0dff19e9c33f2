using System.Globalization;
using System.Net;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The REST call counter stays bounded however many tickers and dates clients ask for (the server's <c>/polygon</c> relay
/// passes their paths on): past its bound of paths, a new path counts under its route, and the paths it holds keep counting.
/// </summary>
public sealed class RestCallCountSpecs : IAsyncLifetime
{
    private const string PrevRoute = "/v2/aggs/ticker/{ticker}/prev";
    private const string RangeRoute = "/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}";
    private SimulatorRest _rest = null!;

    public async Task InitializeAsync() => _rest = await SimulatorRest.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private async Task GetAsync(string pathAndQuery) => Assert.Equal(HttpStatusCode.OK, (await _rest.GetAsync(pathAndQuery)).Status);

    [Fact]
    public async Task Past_its_bound_of_paths_ever_new_tickers_and_dates_count_under_their_route()
    {
        await GetAsync("/v2/aggs/ticker/AAPL/prev");
        for (var i = 1; i < MarketSimulator.MaxRestPaths; i++) _rest.Market.RecordRest($"/v2/aggs/ticker/ZZ{i}/prev", PrevRoute);
        var day = new DateOnly(2026, 3, 2);

        for (var i = 0; i < 40; i++)
        {
            await GetAsync($"/v2/aggs/ticker/NEW{i}/prev");
            await GetAsync(string.Create(CultureInfo.InvariantCulture, $"/v2/aggs/ticker/AAPL/range/1/day/{day.AddDays(-i):yyyy-MM-dd}/{day:yyyy-MM-dd}"));
        }
        await GetAsync("/v2/aggs/ticker/AAPL/prev");

        var calls = _rest.Market.Report().RestCalls;
        Assert.Equal(MarketSimulator.MaxRestPaths + 2, calls.Count); // the paths, and two routes
        Assert.Equal((40, 40, 2), (_rest.Market.RestCalls(PrevRoute), _rest.Market.RestCalls(RangeRoute), _rest.Market.RestCalls("/v2/aggs/ticker/AAPL/prev")));
        Assert.Equal(MarketSimulator.MaxRestPaths + 81, calls.Values.Sum()); // every request counted once
    }
}
