using Quotes.Simulator;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>The provider budget and snapshot cache settings are checked at start: a value that cannot work stops the node, naming the setting.</summary>
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
}
