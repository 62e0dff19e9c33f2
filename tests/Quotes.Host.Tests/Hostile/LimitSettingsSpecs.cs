using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Quotes.Host.Composition;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Limits once fixed in code are settings (<c>Quotes:AdmissionTimeout</c>, <c>Limits:FailedAuthWindow</c>,
/// <c>Limits:MaxFacadeQueryLength</c>): each takes effect, and a bad value stops the node at start naming the setting; so does
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
    [InlineData("Health:HubReportTimeout", "00:00:01")]
    [InlineData("Health:HubReportTimeout", "01:00:00")]
    public async Task A_count_or_rate_that_would_refuse_everything_stops_the_node_at_start_naming_the_setting(string setting, string value) =>
        await StopsNamingAsync(setting, value);

    private static async Task StopsNamingAsync(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Polygon:ApiKey"] = "not-used-key-123",
                ["Polygon:WebSocketUrl"] = "ws://127.0.0.1:1",
                ["Polygon:RestUrl"] = "http://127.0.0.1:1",
                ["Auth:ApiKeys:0"] = QuotesServer.ClientKey,
                [setting] = value,
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }));
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
}
