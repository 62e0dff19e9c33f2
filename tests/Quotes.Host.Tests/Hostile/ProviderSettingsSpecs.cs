using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// The provider budget and snapshot cache settings are checked at start: a value that cannot work stops the node, naming the
/// setting. Under <c>Polygon:Required</c> the upstream URLs must use TLS and name a host in <c>Polygon:AllowedHosts</c>
/// (Polygon's and Massive's production hosts by default), so that no DNS, proxy or configuration mistake sends the key to
/// a look-alike; without it nothing changes.
/// </summary>
public sealed class ProviderSettingsSpecs
{
    [Theory]
    [InlineData("Polygon:SnapshotCacheDuration", "-00:00:01", "Polygon:SnapshotCacheDuration must be from 0 to 01:00:00")]
    [InlineData("Polygon:SnapshotCacheEntries", "-1", "Polygon:SnapshotCacheEntries must be from 0 to 1000000")]
    [InlineData("Polygon:MaxRequestsPerSecondPerKey", "60", "Polygon:MaxRequestsPerSecondPerKey must be from 0")]
    [InlineData("Polygon:ReservedRequestsPerSecond", "50", "Polygon:ReservedRequestsPerSecond must be at least 0 and less than Polygon:MaxRequestsPerSecond (50)")]
    public async Task A_bad_value_stops_the_node_at_start_with_a_clear_error(string setting, string value, string error)
    {
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey] });
        var settings = new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
            ["Polygon:WebSocketUrl"] = simulator.WebSocketUrl.ToString(),
            ["Polygon:RestUrl"] = simulator.HttpUrl.ToString(),
            [setting] = value,
        };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartHostAsync(settings, simulator));

        Assert.Contains(error, refused.Message);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:1", "http://127.0.0.1:1", null, "Polygon:WebSocketUrl names host '127.0.0.1', which is not in Polygon:AllowedHosts (socket.massive.com")]
    [InlineData("wss://socket.massive.com.example.net", null, null, "Polygon:WebSocketUrl names host 'socket.massive.com.example.net', which is not in Polygon:AllowedHosts")]
    [InlineData(null, "https://api.polygon.io.example.net", null, "Polygon:RestUrl names host 'api.polygon.io.example.net'")]
    [InlineData("ws://socket.massive.com", null, null, "Polygon:WebSocketUrl must use wss:// under Polygon:Required")]
    [InlineData(null, "http://api.polygon.io", null, "Polygon:RestUrl must use https:// under Polygon:Required")]
    [InlineData("ws://quotes-proxy.internal", "https://quotes-proxy.internal", "quotes-proxy.internal", "Polygon:WebSocketUrl must use wss://")]
    [InlineData(null, null, "quotes-proxy.internal", "Polygon:WebSocketUrl names host 'socket.massive.com', which is not in Polygon:AllowedHosts (quotes-proxy.internal)")]
    public async Task Under_Polygon_Required_an_upstream_without_TLS_or_off_the_allowed_hosts_stops_the_start(string? socket, string? rest, string? allowed, string error)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync(socket, rest, allowed, required: true));
        Assert.Contains(error, refused.Message);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("wss://delayed.polygon.io", "https://api.polygon.io", null)]
    [InlineData("wss://quotes-proxy.internal", "https://quotes-proxy.internal:8443", "quotes-proxy.internal, api.massive.com")]
    [InlineData("ws://127.0.0.1:1", "http://localhost:1", "127.0.0.1,localhost")]
    public async Task Under_Polygon_Required_TLS_to_an_allowed_host_or_a_listed_loopback_address_is_accepted(string? socket, string? rest, string? allowed)
    {
        await using var app = await BuildAsync(socket, rest, allowed, required: true);
        Assert.True(app.Services.GetRequiredService<PolygonOptions>().Required);
    }

    [Fact]
    public async Task Without_Polygon_Required_any_upstream_is_taken_as_before()
    {
        await using var app = await BuildAsync("ws://quotes-staging.example.net", "http://quotes-staging.example.net", null, required: false);
        Assert.Equal(new Uri("ws://quotes-staging.example.net/stocks"), app.Services.GetRequiredService<PolygonOptions>().StocksSocketUri());
    }

    /// <summary>Composes a node as it starts (the settings are checked here), without starting it: nothing is connected to.</summary>
    private static Task<Microsoft.AspNetCore.Builder.WebApplication> BuildAsync(string? socket, string? rest, string? allowed, bool required) =>
        HostComposition.BuildAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Polygon:ApiKey"] = "not-used-key-123",
                ["Polygon:WebSocketUrl"] = socket,
                ["Polygon:RestUrl"] = rest,
                ["Polygon:AllowedHosts"] = allowed,
                ["Polygon:Required"] = required ? "true" : null,
                ["Auth:ApiKeys:0"] = QuotesServer.ClientKey,
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
}
