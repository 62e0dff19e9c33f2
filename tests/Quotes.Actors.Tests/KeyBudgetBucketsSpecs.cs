using Quotes.Actors.Sessions;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>Where the key budgets live in the replicated maps: a fixed number of buckets, one entry per key and node.</summary>
public sealed class KeyBudgetBucketsSpecs
{
    private static readonly KeyHoldings Holding = new(["AAPL", "MSFT"], [new KeyHoldings.Take(new DateTime(2026, 12, 2, 15, 0, 0, DateTimeKind.Utc), 2)]);

    [Fact]
    public void A_key_and_an_entry_land_in_the_same_place_in_every_process()
    {
        // string.GetHashCode would differ from run to run; every node must put a key in the same bucket and entry.
        Assert.Equal(KeyBudgetBuckets.Of("user-1"), KeyBudgetBuckets.Of("user-1"));
        Assert.Equal(710, KeyBudgetBuckets.Of("user-1"));
        Assert.Equal(-137_607_683_032_204_531L, KeyBudgetBuckets.EntryId(42, "user-1"));
        Assert.NotEqual(KeyBudgetBuckets.EntryId(42, "user-1"), KeyBudgetBuckets.EntryId(43, "user-1"));
        Assert.InRange(Enumerable.Range(0, 10_000).Select(i => KeyBudgetBuckets.Of($"user-{i}")).Distinct().Count(), 1_000, KeyBudgetBuckets.Count);
    }

    [Fact]
    public void A_buckets_name_reads_back_as_its_number_and_no_other_name_does()
    {
        Assert.Equal(1_023, KeyBudgetBuckets.BucketOf(KeyBudgetBuckets.KeyOf(1_023).Id));
        Assert.Equal(-1, KeyBudgetBuckets.BucketOf("key-budgets-1024"));
        Assert.Equal(-1, KeyBudgetBuckets.BucketOf("key-holdings-0123abcd"));
        Assert.Equal(-1, KeyBudgetBuckets.BucketOf("key-budgets--1"));
    }

    [Fact]
    public void An_entry_survives_the_round_trip_and_anything_else_reads_as_nothing()
    {
        var entry = KeyBudgetBuckets.Decode(KeyBudgetBuckets.Encode(-5, "user-1", Holding));

        Assert.Equal(new KeyBudgetBuckets.Entry(-5, "user-1", Holding.Encode()), entry);
        Assert.Null(KeyBudgetBuckets.Decode("AAPL|")); // 1.3.0's value: holdings only
        Assert.Null(KeyBudgetBuckets.Decode("x\nuser-1\nAAPL|"));
        Assert.Null(KeyBudgetBuckets.Decode(null));
    }

    [Fact]
    public void A_keys_holdings_elsewhere_are_its_own_entries_on_the_other_nodes_ranked_by_node()
    {
        // Two keys sharing a bucket, on three nodes.
        var values = new[]
        {
            KeyBudgetBuckets.Encode(1, "user-1", new KeyHoldings(["A"], [])),
            KeyBudgetBuckets.Encode(2, "user-1", new KeyHoldings(["B"], [])),
            KeyBudgetBuckets.Encode(3, "user-1", new KeyHoldings(["C"], [])),
            KeyBudgetBuckets.Encode(1, "user-2", new KeyHoldings(["D"], [])),
            "garbage",
        };

        var others = KeyBudgetBuckets.Others(values, "user-1", self: 2);

        Assert.Equal([(["A"], true), (["C"], false)], others.Select(o => (o.Holdings.Symbols.ToArray(), o.Ahead)).ToArray());
    }

    [Fact]
    public void The_keys_that_changed_in_a_bucket_are_those_whose_entries_came_went_or_differ()
    {
        var before = new Dictionary<long, string>
        {
            [1] = KeyBudgetBuckets.Encode(1, "same", Holding),
            [2] = KeyBudgetBuckets.Encode(1, "changed", Holding),
            [3] = KeyBudgetBuckets.Encode(1, "gone", Holding),
        };
        var after = new Dictionary<long, string>
        {
            [1] = KeyBudgetBuckets.Encode(1, "same", Holding),
            [2] = KeyBudgetBuckets.Encode(1, "changed", KeyHoldings.None),
            [4] = KeyBudgetBuckets.Encode(1, "new", Holding),
        };

        Assert.Equal(["changed", "gone", "new"], KeyBudgetBuckets.Changed(before, after).Order(StringComparer.Ordinal));
    }
}
