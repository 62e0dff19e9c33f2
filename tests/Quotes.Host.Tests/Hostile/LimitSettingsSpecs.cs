using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Limits once fixed in code are settings (<c>Quotes:AdmissionTimeout</c>, <c>Limits:FailedAuthWindow</c>,
/// <c>Limits:MaxFacadeQueryLength</c>, the REST request bounds such as <c>Limits:MaxSearchResults</c> and
/// <c>Limits:MaxProviderPages</c>, <c>Limits:MaxOptionContracts</c>, the upstream's <c>Polygon:MaxFrameBytes</c> and
/// <c>Polygon:PageSize</c>): each takes effect, and a bad value stops the node at start naming the setting; so does
/// a count or rate limit below its minimum (0 would refuse every socket, symbol or command).
/// </summary>
public sealed class LimitSettingsSpecs
{
    [Theory]
    [InlineData("Quotes:AdmissionTimeout", "00:00:00")]
    [InlineData("Quotes:AdmissionTimeout", "00:05:00")]
    [InlineData("Limits:FailedAuthWindow", "00:00:00")]
    [InlineData("Limits:FailedAuthWindow", "1.00:00:00")]
    [InlineData("Limits:MaxFacadeQueryLength", "0")]
    [InlineData("Limits:MaxFacadeQueryLength", "5000")]
    [InlineData("Limits:CloseHandshakeTimeout", "00:00:00")]
    [InlineData("Limits:CloseHandshakeTimeout", "00:02:00")]
    [InlineData("Limits:CloseHandshakeTimeout", "later")]
    [InlineData("Polygon:MaxFrameBytes", "1023")]
    [InlineData("Polygon:MaxFrameBytes", "67108865")]
    [InlineData("Polygon:PageSize", "0")]
    [InlineData("Polygon:PageSize", "50001")]
    public async Task A_bad_value_stops_the_node_at_start_naming_the_setting(string setting, string value) => await StopsNamingAsync(setting, value);

    [Theory]
    [InlineData("Limits:MaxPreAuthConnections", "0")]
    [InlineData("Limits:MaxPreAuthConnectionsPerIp", "-1")]
    [InlineData("Limits:MaxPreAuthConnectionsPerIp", "many")]
    [InlineData("Limits:MaxSymbolsPerKey", "0")]
    [InlineData("Limits:NewSymbolsPerKeyPerMinute", "0")]
    [InlineData("Polygon:MaxSymbols", "0")]
    [InlineData("Quotes:FacadeAuthAttempts", "0")]
    [InlineData("Quotes:FacadeAuthAttempts", "1000")]
    [InlineData("Quotes:CommandsPerSecond", "0")]
    [InlineData("Quotes:CommandsPerSecond", "NaN")]
    [InlineData("Quotes:CommandBurst", "0")]
    [InlineData("Quotes:ClientSendBufferBytes", "1024")]
    [InlineData("Quotes:ClientSendBufferBytes", "-1")]
    [InlineData("Quotes:ClientSendBufferBytes", "8388608")]
    [InlineData("Health:HubReportTimeout", "00:00:01")]
    [InlineData("Health:HubReportTimeout", "01:00:00")]
    public async Task A_count_or_rate_that_would_refuse_everything_stops_the_node_at_start_naming_the_setting(string setting, string value) =>
        await StopsNamingAsync(setting, value);

    [Theory]
    [InlineData("Limits:MaxSearchQueryLength", "0")]
    [InlineData("Limits:MaxSearchQueryLength", "201")]
    [InlineData("Limits:MaxSearchResults", "0")]
    [InlineData("Limits:MaxSearchResults", "1001")]
    [InlineData("Limits:MaxSearchResults", "lots")]
    [InlineData("Limits:MaxHistoryMultiplier", "0")]
    [InlineData("Limits:MaxHistoryMultiplier", "100001")]
    [InlineData("Limits:MaxMinuteHistoryDays", "0")]
    [InlineData("Limits:MaxHourHistoryDays", "-1")]
    [InlineData("Limits:MaxHistoryDays", "0")]
    [InlineData("Limits:MaxHistoryDays", "36601")]
    [InlineData("Limits:MaxProviderPages", "0")]
    [InlineData("Limits:MaxProviderPages", "10001")]
    [InlineData("Limits:MaxOptionContracts", "0")]
    [InlineData("Limits:MaxOptionContracts", "10001")]
    [InlineData("Limits:MaxHistoryBars", "0")]
    [InlineData("Limits:MaxHistoryBars", "1000001")]
    [InlineData("Limits:MaxSymbolsPerRequest", "0")]
    [InlineData("Limits:MaxSymbolsPerRequest", "51")]
    public async Task A_bad_REST_request_bound_stops_the_node_at_start_naming_the_setting(string setting, string value) =>
        await StopsNamingAsync(setting, value);

    [Theory]
    [InlineData("Limits:MaxFrameBytes", "16385")]
    [InlineData("Limits:MaxFrameBytes", "1023")]
    [InlineData("Limits:MaxFrameBytes", "big")]
    [InlineData("Limits:MaxJsonDepth", "9")]
    [InlineData("Limits:MaxJsonDepth", "1")]
    [InlineData("Limits:MaxFacadeJsonDepth", "5")]
    [InlineData("Limits:MaxFacadeJsonDepth", "0")]
    [InlineData("Limits:MaxSymbolsPerConnection", "51")]
    [InlineData("Limits:MaxSymbolsPerConnection", "0")]
    [InlineData("Limits:MaxPendingReplies", "257")]
    [InlineData("Limits:MaxPendingReplies", "15")]
    [InlineData("Limits:PingInterval", "00:00:21")]
    [InlineData("Limits:PingInterval", "00:00:00")]
    [InlineData("Limits:PongTimeout", "00:00:31")]
    [InlineData("Limits:PongTimeout", "soon")]
    public async Task A_protocol_limit_raised_past_the_contract_or_too_low_for_clients_stops_the_node_at_start_naming_it(string setting, string value) =>
        await StopsNamingAsync(setting, value);

    [Fact]
    public async Task Provider_pages_have_one_setting_and_the_Polygon_section_alias_stops_the_node_pointing_at_it()
    {
        var error = await HostComposition.StartFailsAsync(new Dictionary<string, string?> { ["Polygon:MaxProviderPages"] = "5" });
        Assert.Contains("Polygon:MaxProviderPages is not a setting", error.Message);
        Assert.Contains("Limits:MaxProviderPages", error.Message);
    }

    [Fact]
    public async Task A_lowered_upstream_frame_cap_skips_larger_upstream_messages_unread_and_counts_them_while_the_feed_goes_on()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Polygon:MaxFrameBytes"] = "1024" });
        Assert.Equal(0, (await server.UpstreamReportAsync()).Malformed);
        await using var client = await server.ConnectAsync();

        // Twenty symbols: each second's batch of their aggregates is one upstream message of several kilobytes.
        string[] symbols = ["AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "GOOG", "META", "INTC", "CSCO", "ORCL",
            "IBM", "AMD", "QCOM", "ADBE", "CRM", "NFLX", "PYPL", "XOM", "CVX", "KO"];
        await client.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols }));

        await Eventually.HoldsAsync(async () => Assert.True((await server.UpstreamReportAsync()).Malformed >= 1));
        Assert.Equal(UpstreamStates.Connected, (await server.UpstreamReportAsync()).State);
    }

    private static async Task StopsNamingAsync(string setting, string value)
    {
        var error = await HostComposition.StartFailsAsync(new Dictionary<string, string?>
        {
            [setting] = value,
        });
        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public async Task The_failed_auth_window_and_the_relay_query_length_come_from_settings()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:FailedAuthPerMinute"] = "1",
            ["Limits:FailedAuthWindow"] = "00:00:07",
            ["Limits:MaxFacadeQueryLength"] = "64",
        });
        using var http = server.CreateHttpClient();

        // The relay takes a query up to the configured length, and refuses one character more.
        var query = $"?apiKey={QuotesServer.ClientKey}&adjusted=true&x=";
        var fits = query + new string('a', 64 - query.Length);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/polygon/v2/aggs/ticker/AAPL/prev{fits}")).StatusCode);
        using (var tooLong = await http.GetAsync($"/polygon/v2/aggs/ticker/AAPL/prev{fits}a"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.Contains("query string is too long", await tooLong.Content.ReadAsStringAsync());
        }

        // One failure spends the address's budget: refused for the configured window, which Retry-After names.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/market/status?apiKey=wrong-key-0000000000")).StatusCode);
        using var blocked = await http.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), blocked.Headers.RetryAfter?.Delta);
        Assert.Contains("retry after 7 s", await blocked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lowered_REST_request_bounds_take_effect_and_their_errors_name_the_configured_value()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:MaxSearchResults"] = "5",
            ["Limits:MaxSearchQueryLength"] = "8",
            ["Limits:MaxHistoryMultiplier"] = "10",
            ["Limits:MaxHistoryDays"] = "40",
            ["Limits:MaxProviderPages"] = "2",
            ["Limits:MaxOptionContracts"] = "40",
            ["Polygon:PageSize"] = "50",
            ["Limits:MaxSymbolsPerRequest"] = "3",
        });
        using var http = server.CreateHttpClient(QuotesServer.ClientKey);

        async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
        {
            using var response = await http.GetAsync(path);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, doc.RootElement.Clone());
        }
        async Task RefusedAsync(string path, string code, string message)
        {
            var (status, body) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(code, body.GetProperty("code").GetString());
            Assert.Contains(message, body.GetProperty("error").GetString());
        }

        await RefusedAsync("/api/market/search?q=a&limit=6", ErrorCodes.InvalidParameter, "from 1 to 5");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/market/quotes?symbols=AAPL,MSFT,TSLA")).Status);
        await RefusedAsync("/api/market/quotes?symbols=AAPL,MSFT,TSLA,NVDA", ErrorCodes.SymbolLimit, "at most 3 symbols per request");
        var (fits, found) = await GetAsync("/api/market/search?q=a&limit=5");
        Assert.Equal(HttpStatusCode.OK, fits);
        Assert.InRange(found.GetProperty("data").GetArrayLength(), 1, 5);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/market/search?q=abcdefgh")).Status);
        await RefusedAsync("/api/market/search?q=abcdefghi", ErrorCodes.InvalidParameter, "1 to 8 printable characters");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/market/historical/AAPL?from=2026-01-01&to=2026-02-10&multiplier=10")).Status);
        await RefusedAsync("/api/market/historical/AAPL?from=2026-01-01&to=2026-01-02&multiplier=11", ErrorCodes.InvalidParameter, "from 1 to 10");
        await RefusedAsync("/api/market/historical/AAPL?from=2026-01-01&to=2026-02-11", ErrorCodes.InvalidRange, "at most 40 days");

        // Two provider pages of 50 minute bars, then the read stops: the third page is never asked for.
        var today = DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));
        var day = MarketCalendar.PreviousTradingDay(MarketCalendar.PreviousTradingDay(today));
        var (status, bars) = await GetAsync($"/api/market/historical/ORCL?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}&timespan=minute");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(100, bars.GetProperty("data").GetProperty("bars").GetArrayLength());
        Assert.Equal(2, server.Simulator!.Market.RestCalls($"/v2/aggs/ticker/ORCL/range/1/minute/{day:yyyy-MM-dd}/{day:yyyy-MM-dd}"));

        // An option chain read holds at most the configured number of contracts: the first page of 50 has them.
        var (chainStatus, chain) = await GetAsync("/api/market/options/AAPL");
        Assert.Equal(HttpStatusCode.OK, chainStatus);
        Assert.Equal(40, chain.GetProperty("data").GetArrayLength());
        Assert.Equal(1, server.Simulator!.Market.RestCalls("/v3/snapshot/options/AAPL"));
    }
}
