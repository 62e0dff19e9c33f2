using System.Text.Json;
using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public class SubscribeBatchesSpecs
{
    [Fact]
    public void Small_sets_go_in_one_action_with_comma_separated_channels()
    {
        var action = Assert.Single(SubscribeBatches.Build("subscribe", ["AAPL", "BRK.B"]));
        using var doc = JsonDocument.Parse(action);
        Assert.Equal("subscribe", doc.RootElement.GetProperty("action").GetString());
        Assert.Equal("A.AAPL,A.BRK.B", doc.RootElement.GetProperty("params").GetString());
    }

    [Fact]
    public void Large_sets_are_split_into_actions_well_under_one_megabyte()
    {
        var symbols = Enumerable.Range(0, 20_000).Select(i => "S" + i.ToString("D7")).ToList();
        var actions = SubscribeBatches.Build("subscribe", symbols).ToList();

        Assert.True(actions.Count > 1);
        Assert.All(actions, a => Assert.True(a.Length < 100 * 1024));
        var channels = actions.SelectMany(a => JsonDocument.Parse(a).RootElement.GetProperty("params").GetString()!.Split(',')).ToList();
        Assert.Equal(symbols.Select(s => "A." + s), channels);
    }
}
