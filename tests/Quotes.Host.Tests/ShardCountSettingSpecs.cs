using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>An out-of-range <c>Akka:Shards</c> stops a node at start (no cluster needed: the node never gets that far).</summary>
public sealed class ShardCountSettingSpecs : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartSimulatorAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("20000")]
    public async Task A_shard_count_out_of_range_stops_the_node_at_start_with_a_clear_error(string shards)
    {
        var settings = _cluster.Settings(seed: null);
        settings["Akka:Shards"] = shards;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartHostAsync(settings, _cluster.Simulator));
        Assert.Contains("Akka:Shards must be between 1 and 10000", error.Message);
    }
}
