using Quotes.Actors.Fanout;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public class ReleasedQuotesSpecs
{
    private static Quote Q(string symbol, long seq) => new() { Symbol = symbol, Price = 1m, Seq = seq };

    [Fact]
    public void A_kept_quote_is_taken_once()
    {
        var released = new ReleasedQuotes(10);
        released.Keep(Q("AAPL", 7));

        Assert.Equal(7, released.Take("AAPL")?.Seq);
        Assert.Null(released.Take("AAPL"));
    }

    [Fact]
    public void Keeping_a_symbol_again_replaces_its_quote()
    {
        var released = new ReleasedQuotes(10);
        released.Keep(Q("AAPL", 7));
        released.Keep(Q("AAPL", 9));

        Assert.Equal(1, released.Count);
        Assert.Equal(9, released.Take("AAPL")?.Seq);
    }

    [Fact]
    public void Past_its_capacity_the_symbol_let_go_longest_ago_is_forgotten()
    {
        var released = new ReleasedQuotes(2);
        released.Keep(Q("A", 1));
        released.Keep(Q("B", 1));
        released.Keep(Q("A", 2)); // A is now the newest
        released.Keep(Q("C", 1));

        Assert.Equal(2, released.Count);
        Assert.Null(released.Take("B"));
        Assert.Equal(2, released.Take("A")?.Seq);
        Assert.Equal(1, released.Take("C")?.Seq);
    }
}
