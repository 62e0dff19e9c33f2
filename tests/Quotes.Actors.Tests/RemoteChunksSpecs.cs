using Quotes.Actors.Cluster;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>A burst for another node in as few messages as fit under remoting's frame, in order, nothing lost.</summary>
public sealed class RemoteChunksSpecs
{
    [Fact]
    public void Items_that_fit_together_make_one_chunk()
    {
        var chunk = Assert.Single(RemoteChunks.BySize([1, 2, 3], _ => 100, maxBytes: 300));
        Assert.Equal([1, 2, 3], chunk);
    }

    [Fact]
    public void A_chunk_ends_before_the_item_that_would_take_it_past_the_budget()
    {
        var chunks = RemoteChunks.BySize([1, 2, 3, 4, 5], _ => 100, maxBytes: 250).ToList();
        Assert.Equal([[1, 2], [3, 4], [5]], chunks);
    }

    [Fact]
    public void An_item_larger_than_the_budget_goes_alone_and_the_order_is_kept()
    {
        int[] items = [1, 2, 3, 4];
        var chunks = RemoteChunks.BySize(items, i => i == 2 ? 1_000 : 100, maxBytes: 250).ToList();
        Assert.Equal([[1], [2], [3, 4]], chunks);
    }

    [Fact]
    public void No_items_make_no_chunk() => Assert.Empty(RemoteChunks.BySize(Array.Empty<int>(), _ => 100));
}
