using System.Globalization;
using System.Net;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The simulator answers Polygon's grouped daily bars (<c>/v2/aggs/grouped/locale/us/market/stocks/{date}</c>): every ticker
/// of the reference universe, each one's bar of the last session equal to what <c>/prev</c> answers; and it can refuse
/// snapshots or grouped bars as a plan without them does.
/// </summary>
public sealed class GroupedDailySpecs : IAsyncLifetime
{
    private const string GroupedPath = "/v2/aggs/grouped/locale/us/market/stocks/";
    private SimulatorRest _rest = null!;

    public async Task InitializeAsync() => _rest = await SimulatorRest.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery, string? key = SimulatorRest.Key) =>
        _rest.GetAsync(pathAndQuery, key);

    private static DateOnly LastSession => MarketCalendar.PreviousTradingDay(DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow)));

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Each_aggregate_endpoint_echoes_the_adjusted_flag_asked_for_with_the_same_bars()
    {
        var day = Date(LastSession);
        foreach (var path in new[] { "/v2/aggs/ticker/AAPL/prev", $"{GroupedPath}{day}", $"/v2/aggs/ticker/AAPL/range/1/day/{day}/{day}" })
        {
            var (_, unadjusted) = await GetAsync($"{path}?adjusted=false");
            var (_, adjusted) = await GetAsync($"{path}?adjusted=true");
            var (_, unsaid) = await GetAsync(path);
            Assert.False(unadjusted.GetProperty("adjusted").GetBoolean(), path);
            Assert.True(adjusted.GetProperty("adjusted").GetBoolean(), path);
            Assert.True(unsaid.GetProperty("adjusted").GetBoolean(), path);
            // No simulated ticker ever splits: the same bars either way.
            Assert.Equal(adjusted.GetProperty("results").GetRawText(), unadjusted.GetProperty("results").GetRawText());
        }
    }

    [Fact]
    public async Task The_last_sessions_grouped_bars_list_the_reference_universe_each_equal_to_its_prev_bar()
    {
        var (status, body) = await GetAsync($"{GroupedPath}{Date(LastSession)}?adjusted=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        var bars = body.GetProperty("results").EnumerateArray().ToDictionary(b => b.GetProperty("T").GetString()!);
        Assert.Equal(ReferenceTickers.All.Select(t => t.Symbol).Order(StringComparer.Ordinal), bars.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(bars.Count, body.GetProperty("resultsCount").GetInt32());
        foreach (var symbol in new[] { "AAPL", "MSFT", ReferenceTickers.All[^1].Symbol })
        {
            var (_, prev) = await GetAsync($"/v2/aggs/ticker/{symbol}/prev?adjusted=true");
            var expected = prev.GetProperty("results")[0];
            foreach (var field in new[] { "T", "o", "h", "l", "c", "v", "vw", "t", "n" })
                Assert.Equal(expected.GetProperty(field).GetRawText(), bars[symbol].GetProperty(field).GetRawText());
        }
    }

    [Fact]
    public async Task A_weekend_has_no_grouped_bars_and_an_earlier_session_has_its_historical_bars()
    {
        var saturday = LastSession.AddDays(-7);
        while (saturday.DayOfWeek != DayOfWeek.Saturday) saturday = saturday.AddDays(-1);
        var earlier = MarketCalendar.PreviousTradingDay(LastSession);

        var (weekendStatus, weekend) = await GetAsync($"{GroupedPath}{Date(saturday)}");
        var (_, session) = await GetAsync($"{GroupedPath}{Date(earlier)}");

        Assert.Equal(HttpStatusCode.OK, weekendStatus);
        Assert.Equal(0, weekend.GetProperty("resultsCount").GetInt32());
        Assert.False(weekend.TryGetProperty("results", out _));
        var aapl = session.GetProperty("results").EnumerateArray().Single(b => b.GetProperty("T").GetString() == "AAPL");
        var history = _rest.Market.History("AAPL").Range("day", 1, earlier, earlier, DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow))).Single();
        Assert.Equal(history.Close, aapl.GetProperty("c").GetDecimal());
    }

    [Fact]
    public async Task Grouped_bars_need_the_key_like_every_REST_path()
    {
        var (status, body) = await GetAsync($"{GroupedPath}{Date(LastSession)}", key: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Unknown API Key", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_plan_without_snapshots_or_grouped_bars_is_refused_403_NOT_AUTHORIZED_until_switched_off()
    {
        _rest.Market.Faults.SnapshotsRefused = true;
        var (snapshots, refused) = await GetAsync("/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL");
        var (single, _) = await GetAsync("/v2/snapshot/locale/us/markets/stocks/tickers/AAPL");
        var (grouped, _) = await GetAsync($"{GroupedPath}{Date(LastSession)}");
        _rest.Market.Faults.GroupedRefused = true;
        var (groupedRefused, _) = await GetAsync($"{GroupedPath}{Date(LastSession)}");
        var (prev, _) = await GetAsync("/v2/aggs/ticker/AAPL/prev");
        _rest.Market.Faults.Reset();
        var (after, _) = await GetAsync("/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL");

        Assert.Equal(HttpStatusCode.Forbidden, snapshots);
        Assert.Equal("NOT_AUTHORIZED", refused.GetProperty("status").GetString());
        Assert.StartsWith("You are not entitled to this data.", refused.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, single);
        Assert.Equal(HttpStatusCode.OK, grouped);
        Assert.Equal(HttpStatusCode.Forbidden, groupedRefused);
        Assert.Equal(HttpStatusCode.OK, prev);
        Assert.Equal(HttpStatusCode.OK, after);
    }
}
