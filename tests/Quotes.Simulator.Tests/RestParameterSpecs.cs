using System.Net;
using System.Text.Json;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The simulator's REST paths refuse a malformed paging or sorting parameter with Polygon's 400 <c>ERROR</c> body instead of
/// quietly serving a default, and sort as asked.
/// </summary>
public sealed class RestParameterSpecs : IAsyncLifetime
{
    private SimulatorRest _rest = null!;

    public async Task InitializeAsync() => _rest = await SimulatorRest.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private const string Range = "/v2/aggs/ticker/AAPL/range/1/day/2026-01-05/2026-02-27";

    public static TheoryData<string> PagedPaths => new()
    {
        Range, "/v3/reference/tickers?search=a", "/v3/reference/options/contracts?underlying_ticker=AAPL", "/v3/snapshot/options/AAPL",
    };

    [Theory]
    [MemberData(nameof(PagedPaths))]
    public async Task A_limit_that_is_not_a_whole_number_from_one_or_a_cursor_not_written_here_is_400(string path)
    {
        // Found in an audit: limit=abc was served with the default limit, and an unreadable cursor as the first page.
        var join = path.Contains('?') ? '&' : '?';
        var (fine, _) = await _rest.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, fine);
        foreach (var bad in new[] { "limit=abc", "limit=0", "limit=-3", "limit=2.5", "cursor=%25%25%25", "cursor=garbage" })
        {
            var (status, body) = await _rest.GetAsync($"{path}{join}{bad}");
            Assert.True(status == HttpStatusCode.BadRequest, $"{path} {bad}: {status}");
            Assert.Equal("ERROR", body.GetProperty("status").GetString());
            Assert.Contains(bad.Split('=')[0], body.GetProperty("error").GetString());
        }
        var (huge, hugeBody) = await _rest.GetAsync($"{path}{join}limit=99999999999");
        Assert.Equal(HttpStatusCode.OK, huge); // above the maximum: served as the maximum
        Assert.Equal(JsonValueKind.Array, hugeBody.GetProperty("results").ValueKind);
    }

    [Fact]
    public async Task Aggregates_sort_ascending_or_descending_and_refuse_any_other_order()
    {
        var (_, ascending) = await _rest.GetAsync(Range);
        var (_, descending) = await _rest.GetAsync($"{Range}?sort=desc");
        var (bogus, body) = await _rest.GetAsync($"{Range}?sort=bogus");

        var times = Times(ascending);
        Assert.True(times.Count > 30);
        Assert.Equal(times.Order(), times);
        Assert.Equal(times.AsEnumerable().Reverse(), Times(descending));
        Assert.Equal(HttpStatusCode.BadRequest, bogus);
        Assert.Contains("sort", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("quarter", HttpStatusCode.OK)]
    [InlineData("year", HttpStatusCode.OK)]
    [InlineData("fortnight", HttpStatusCode.BadRequest)]
    public async Task Every_calendar_timespan_Polygon_offers_is_served(string timespan, HttpStatusCode expected)
    {
        var year = DateTime.UtcNow.Year - 1; // a whole year, and always inside the simulated history (five years back)
        var (status, body) = await _rest.GetAsync($"/v2/aggs/ticker/AAPL/range/1/{timespan}/{year}-01-01/{year}-12-31");
        Assert.Equal(expected, status);
        if (status == HttpStatusCode.OK) Assert.Equal(timespan == "year" ? 1 : 4, body.GetProperty("resultsCount").GetInt32());
    }

    [Fact]
    public async Task The_contract_list_sorts_by_the_field_asked_and_refuses_an_unknown_field_or_order()
    {
        // The server's own expiry list reads the contracts with sort=expiration_date&order=asc; the simulator ignored both
        // (OCC tickers begin with the expiry, so the ticker order was the expiry order by luck; a strike order was not).
        const string Path = "/v3/reference/options/contracts?underlying_ticker=AAPL&limit=1000";
        var byTicker = Field(await _rest.GetAsync(Path), "ticker");
        var byExpiry = Field(await _rest.GetAsync($"{Path}&sort=expiration_date&order=asc"), "expiration_date");
        var byStrikeDown = (await _rest.GetAsync($"{Path}&sort=strike_price&order=desc")).Body.GetProperty("results").EnumerateArray()
            .Select(c => c.GetProperty("strike_price").GetDecimal()).ToList();

        Assert.Equal(byTicker.Order(StringComparer.Ordinal), byTicker);
        Assert.Equal(byExpiry.Order(StringComparer.Ordinal), byExpiry);
        Assert.Equal(byStrikeDown.OrderDescending(), byStrikeDown);
        foreach (var bad in new[] { "sort=volume", "order=sideways" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await _rest.GetAsync($"{Path}&{bad}")).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await _rest.GetAsync($"/v3/snapshot/options/AAPL?{bad}")).Status);
        }
        Assert.Equal(HttpStatusCode.OK, (await _rest.GetAsync($"{Path}&sort=underlying_ticker")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _rest.GetAsync("/v3/snapshot/options/AAPL?sort=underlying_ticker")).Status); // not a chain field
    }

    private static List<long> Times(JsonElement body) => body.GetProperty("results").EnumerateArray().Select(b => b.GetProperty("t").GetInt64()).ToList();

    private static List<string> Field((HttpStatusCode, JsonElement Body) answer, string name) =>
        answer.Body.GetProperty("results").EnumerateArray().Select(c => c.GetProperty(name).GetString()!).ToList();

    [Fact]
    public async Task The_ticker_list_sorts_by_the_field_asked_and_refuses_an_unknown_field_or_order()
    {
        // Found from outside: sort=bogus and order=bogus were served as if absent.
        var byName = (await _rest.GetAsync("/v3/reference/tickers?sort=name&order=desc&limit=1000")).Body.GetProperty("results").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()!).ToList();

        Assert.True(byName.Count > 10);
        Assert.Equal(byName.OrderDescending(StringComparer.Ordinal), byName);
        Assert.Equal(HttpStatusCode.BadRequest, (await _rest.GetAsync("/v3/reference/tickers?sort=bogus")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _rest.GetAsync("/v3/reference/tickers?order=bogus")).Status);
    }
}
