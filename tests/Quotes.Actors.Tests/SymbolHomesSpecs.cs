using Akka.Actor;
using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class SymbolHomesSpecs
{
    private static readonly Address NodeB = new("akka.tcp", "quotes", "10.0.0.2", 4053);
    private static readonly Address NodeC = new("akka.tcp", "quotes", "10.0.0.3", 4053);

    [Fact]
    public void The_sweep_keeps_only_the_symbols_the_upstream_still_carries()
    {
        var homes = new SymbolHomes();
        homes.Note("AAA", NodeB);
        homes.Note("BBB", NodeB);
        homes.Note("CCC", NodeC);

        homes.Retain(symbol => symbol != "BBB");

        Assert.Equal(2, homes.Count);
        Assert.False(homes.TryGet("BBB", out _));
        Assert.True(homes.TryGet("AAA", out var a) && a == NodeB);
        Assert.True(homes.TryGet("CCC", out var c) && c == NodeC);
    }

    [Fact]
    public void A_node_that_left_takes_its_symbols_with_it_and_a_local_want_moves_a_symbol_home()
    {
        var homes = new SymbolHomes();
        homes.Note("AAA", NodeB);
        homes.Note("BBB", NodeC);
        homes.Note("CCC", NodeC);

        homes.Forget(NodeC);
        homes.Note("AAA", null);

        Assert.Equal(0, homes.Count);
    }
}
