using System.Globalization;
using System.Net;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// Once the New York date has changed, the REST paths answer the last session as the walk ended it (snapshot <c>prevDay</c>,
/// <c>/prev</c>, grouped and daily bars) and today's day from scratch: what a simulator running for days must show.
/// </summary>
public sealed class DayRollRestSpecs : IAsyncLifetime
{
    private SimulatorRest _rest = null!;

    public async Task InitializeAsync() => _rest = await SimulatorRest.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private static DateOnly Today => DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long NewYorkMs(DateOnly day, TimeOnly time) => MarketCalendar.FromNewYork(day.ToDateTime(time)).ToUnixTimeMilliseconds();

    private async Task<JsonElement> GetAsync(string pathAndQuery)
    {
        var (status, body) = await _rest.GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    [Fact]
    public async Task After_the_date_changes_REST_answers_the_last_session_as_the_walk_ended_it_and_today_afresh()
    {
        var lastSession = MarketCalendar.PreviousTradingDay(Today);
        var walk = _rest.Market.Walk("AAPL");
        PolygonAggregate last = null!;
        for (var i = 1; i <= 60; i++) last = walk.Next(NewYorkMs(lastSession, new TimeOnly(15, 0)) + i * 60_000L, 60_000);

        var ticker = (await GetAsync("/v2/snapshot/locale/us/markets/stocks/tickers/AAPL")).GetProperty("ticker");
        var prev = (await GetAsync("/v2/aggs/ticker/AAPL/prev")).GetProperty("results")[0];
        var grouped = (await GetAsync($"/v2/aggs/grouped/locale/us/market/stocks/{Date(lastSession)}")).GetProperty("results")
            .EnumerateArray().Single(b => b.GetProperty("T").GetString() == "AAPL");
        var daily = (await GetAsync($"/v2/aggs/ticker/AAPL/range/1/day/{Date(lastSession.AddDays(-7))}/{Date(Today)}")).GetProperty("results")
            .EnumerateArray().ToList();

        var (prevDay, day) = (ticker.GetProperty("prevDay"), ticker.GetProperty("day"));
        Assert.Equal(last.Close, prevDay.GetProperty("c").GetDecimal());
        Assert.Equal(last.OfficialOpen, prevDay.GetProperty("o").GetDecimal());
        Assert.Equal(last.AccumulatedVolume, prevDay.GetProperty("v").GetDouble());
        Assert.Equal(0, day.GetProperty("v").GetDouble());
        Assert.Equal(walk.Open, day.GetProperty("o").GetDecimal());
        Assert.Equal(walk.Price - last.Close, ticker.GetProperty("todaysChange").GetDecimal());
        // Found from outside at midnight: the new day's price was stamped with the last session's last event (so a reader
        // dating the snapshot by `updated` took today's opening price for the last session's). Today's price, today's stamp.
        var lastTrade = ticker.GetProperty("lastTrade");
        Assert.Equal(day.GetProperty("c").GetDecimal(), lastTrade.GetProperty("p").GetDecimal());
        foreach (var stampNs in new[] { ticker.GetProperty("updated").GetInt64(), lastTrade.GetProperty("t").GetInt64() })
            Assert.Equal(Today, DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.FromUnixTimeMilliseconds(stampNs / 1_000_000))));
        foreach (var bar in new[] { prev, grouped })
        {
            Assert.Equal(last.Close, bar.GetProperty("c").GetDecimal());
            Assert.Equal(last.AccumulatedVolume, bar.GetProperty("v").GetDouble());
        }
        // A day's bar is stamped at midnight New York, as Polygon stamps them, by all three endpoints alike.
        var midnight = NewYorkMs(lastSession, TimeOnly.MinValue);
        Assert.Equal(midnight, prev.GetProperty("t").GetInt64());
        Assert.Equal(midnight, grouped.GetProperty("t").GetInt64());
        var session = daily.Single(b => b.GetProperty("t").GetInt64() == midnight);
        Assert.Equal((last.OfficialOpen, last.Close), (session.GetProperty("o").GetDecimal(), session.GetProperty("c").GetDecimal()));
        Assert.Equal(last.AccumulatedVolume, session.GetProperty("v").GetDouble());
        if (MarketCalendar.IsTradingDay(Today)) Assert.Equal(0, daily[^1].GetProperty("v").GetDouble());
    }
}
