using System.Net;
using System.Text.Json;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The simulator answers Polygon's full-market snapshot (<c>/v2/snapshot/locale/us/markets/stocks/tickers</c>).</summary>
public sealed class BatchSnapshotSpecs : IAsyncLifetime
{
    private const string BatchPath = "/v2/snapshot/locale/us/markets/stocks/tickers";
    private SimulatorRest _rest = null!;

    public async Task InitializeAsync() => _rest = await SimulatorRest.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery, string? key = SimulatorRest.Key) =>
        _rest.GetAsync(pathAndQuery, key);

    private static List<string?> Tickers(JsonElement body) =>
        body.GetProperty("tickers").EnumerateArray().Select(t => t.GetProperty("ticker").GetString()).ToList();

    [Fact]
    public async Task A_batch_snapshot_returns_every_requested_known_ticker_in_request_order_in_one_call()
    {
        var (status, body) = await GetAsync($"{BatchPath}?tickers=TSLA,AAPL,GOOG");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        Assert.Equal(["TSLA", "AAPL", "GOOG"], Tickers(body));
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        foreach (var ticker in body.GetProperty("tickers").EnumerateArray())
            foreach (var part in new[] { "day", "prevDay", "min", "lastTrade" }) Assert.Equal(JsonValueKind.Object, ticker.GetProperty(part).ValueKind);
        Assert.Equal(1, _rest.Market.RestCalls(BatchPath));
        Assert.Equal(0, _rest.Market.RestCalls($"{BatchPath}/AAPL"));
    }

    [Fact]
    public async Task Unknown_tickers_are_left_out_of_a_batch_snapshot()
    {
        var (status, body) = await GetAsync($"{BatchPath}?tickers=NOPE1,AAPL,NOPE2,aapl");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["AAPL"], Tickers(body));
        Assert.Equal(1, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_symbol_the_market_walks_is_known_to_the_batch_snapshot()
    {
        _rest.Market.Walk("ZZSIM");

        var (_, body) = await GetAsync($"{BatchPath}?tickers=ZZSIM");

        Assert.Equal(["ZZSIM"], Tickers(body));
    }

    [Fact]
    public async Task A_batch_snapshot_without_tickers_lists_the_reference_universe()
    {
        var (status, body) = await GetAsync(BatchPath);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ReferenceTickers.All.Select(t => t.Symbol), Tickers(body));
    }

    [Fact]
    public async Task A_batch_snapshot_refuses_a_missing_or_wrong_key_like_the_single_ticker_snapshot()
    {
        var (missing, missingBody) = await GetAsync($"{BatchPath}?tickers=AAPL", key: null);
        var (wrong, wrongBody) = await GetAsync($"{BatchPath}?tickers=AAPL", key: "nope");
        var (single, singleBody) = await GetAsync($"{BatchPath}/AAPL", key: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal("API Key was not provided", missingBody.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal("Unknown API Key", wrongBody.GetProperty("error").GetString());
        Assert.Equal(single, wrong);
        Assert.Equal(singleBody.GetProperty("error").GetString(), wrongBody.GetProperty("error").GetString());
        Assert.Equal(2, _rest.Market.RestCalls(BatchPath));
    }

    [Fact]
    public async Task A_batch_snapshot_agrees_with_the_single_ticker_snapshot()
    {
        var walk = _rest.Market.Walk("MSFT");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var step = 1; step <= 5; step++) walk.Next(now + step * 1000);

        // Nobody subscribed to MSFT, so the clock leaves its walk alone between the two calls.
        var (_, single) = await GetAsync($"{BatchPath}/MSFT");
        var (_, batch) = await GetAsync($"{BatchPath}?tickers=MSFT");
        var one = single.GetProperty("ticker");
        var many = Assert.Single(batch.GetProperty("tickers").EnumerateArray());

        Assert.Equal(walk.Price, many.GetProperty("lastTrade").GetProperty("p").GetDecimal());
        Assert.Equal(one.GetRawText(), many.GetRawText());
    }
}
