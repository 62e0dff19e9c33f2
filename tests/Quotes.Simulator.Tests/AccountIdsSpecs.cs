using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// Accounts as numbers: a listed key's position, an unlisted key's number while its connections are open, and no memory of
/// an unlisted key once none is.
/// </summary>
public sealed class AccountIdsSpecs
{
    [Fact]
    public void Listed_keys_are_their_positions_and_unlisted_keys_are_numbered_after_them_in_the_order_taken()
    {
        var listed = new AccountIds(["a", "b"]);
        var unlisted = new AccountIds([]);

        Assert.Equal((1, 0, 2, 1), (listed.Take(1, "b"), listed.Take(2, "a"), listed.Take(3, "z"), listed.Take(4, "b")));
        Assert.Equal((0, 1, 0), (unlisted.Take(1, "x"), unlisted.Take(2, "y"), unlisted.Take(3, "x")));
    }

    [Fact]
    public void An_unlisted_key_no_open_connection_has_taken_is_forgotten()
    {
        var ids = new AccountIds(["listed"]);
        for (var connection = 1; connection <= 1000; connection++) ids.Take(connection, $"key-{connection}");
        ids.Take(1001, "listed");
        Assert.Equal(1000, ids.UnlistedCount);

        for (var connection = 1; connection <= 1001; connection++) ids.Release(connection);

        Assert.Equal(0, ids.UnlistedCount);
    }

    [Fact]
    public void An_unlisted_key_keeps_its_number_while_any_of_its_connections_is_open_and_gets_a_new_one_after()
    {
        var ids = new AccountIds([]);
        var number = ids.Take(1, "k");
        Assert.Equal(number, ids.Take(2, "k"));

        ids.Release(1); // the first connection closed, the second is still open

        Assert.Equal(number, ids.Take(3, "k"));
        ids.Release(2);
        ids.Release(3);
        Assert.NotEqual(number, ids.Take(4, "k")); // never one a closed connection was reported with, until the numbers wrap
    }

    [Fact]
    public void A_connection_that_authenticates_again_holds_only_its_last_key()
    {
        var ids = new AccountIds(["listed"]);
        var first = ids.Take(1, "a");

        Assert.Equal(first, ids.Take(1, "a")); // the same key again keeps its number
        ids.Take(1, "b");
        Assert.Equal(1, ids.UnlistedCount);
        ids.Take(1, "listed");
        Assert.Equal(0, ids.UnlistedCount);
    }

    [Fact]
    public void Past_the_largest_number_unlisted_keys_are_numbered_again_from_after_the_listed_ones()
    {
        var ids = new AccountIds(["listed"], lastNumber: int.MaxValue - 2);
        Assert.Equal(int.MaxValue - 1, ids.Take(1, "a"));
        Assert.Equal(int.MaxValue, ids.Take(2, "b"));
        Assert.Equal(1, ids.Take(3, "c"));
        ids.Release(1);
        ids.Release(2);

        Assert.Equal(2, ids.Take(4, "d"));
        Assert.Equal(1, ids.Take(5, "c")); // still c's: its connection 3 is open
    }
}
