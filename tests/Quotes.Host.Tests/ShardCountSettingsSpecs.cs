using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>An out-of-range <c>Akka:Shards</c> stops a node at start, while the host is composed: no cluster, no upstream.</summary>
public sealed class ShardCountSettingsSpecs
{
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("20000")]
    public async Task A_shard_count_out_of_range_stops_the_node_at_start_with_a_clear_error(string shards)
    {
        var error = await HostComposition.StartFailsAsync(new Dictionary<string, string?> { ["Akka:Shards"] = shards });
        Assert.Contains("Akka:Shards must be between 1 and 10000", error.Message);
    }
}
