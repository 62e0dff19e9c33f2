using Quotes.Actors.Sessions;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>A key's symbols on a node: distinct symbols held at once across its connections, and new ones taken on per minute.</summary>
public sealed class KeySymbolBudgetSpecs
{
    private static readonly DateTime T0 = new(2026, 11, 26, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Past_the_held_cap_a_request_is_refused_whole_and_names_the_limit()
    {
        var budget = new KeySymbolBudget(maxHeld: 3, newPerMinute: 100);
        Assert.Null(budget.TryHold("k", ["A", "B"], T0));

        var refusal = budget.TryHold("k", ["C", "D"], T0);

        Assert.Contains("Limits:MaxSymbolsPerKey", refusal);
        Assert.Equal(2, budget.Held("k"));
        Assert.Null(budget.TryHold("other", ["C", "D", "E"], T0)); // another key has its own budget
    }

    [Fact]
    public void Symbols_the_key_holds_on_another_connection_cost_nothing_and_stay_until_every_connection_lets_go()
    {
        var budget = new KeySymbolBudget(maxHeld: 2, newPerMinute: 2);
        Assert.Null(budget.TryHold("k", ["A", "B"], T0));
        Assert.Null(budget.TryHold("k", ["A", "B"], T0)); // a second connection: no room, no churn needed

        budget.Release("k", ["A", "B"]);
        Assert.Equal(2, budget.Held("k"));
        budget.Release("k", ["A"]);
        Assert.Equal(1, budget.Held("k"));
    }

    [Fact]
    public void Churn_past_the_new_symbols_a_minute_is_refused_until_the_budget_refills()
    {
        var budget = new KeySymbolBudget(maxHeld: 50, newPerMinute: 60);
        Assert.Null(budget.TryHold("k", Symbols("A", 50), T0));
        budget.Release("k", Symbols("A", 50));

        var refusal = budget.TryHold("k", Symbols("B", 20), T0.AddSeconds(1)); // 10 left, plus one refilled

        Assert.Contains("Limits:NewSymbolsPerKeyPerMinute", refusal);
        Assert.Equal(0, budget.Held("k"));
        Assert.Null(budget.TryHold("k", Symbols("B", 11), T0.AddSeconds(1)));
        Assert.NotNull(budget.TryHold("k", Symbols("C", 10), T0.AddSeconds(2)));
        Assert.Null(budget.TryHold("k", Symbols("C", 10), T0.AddSeconds(12)));
    }

    [Fact]
    public void What_the_key_holds_on_other_nodes_counts_toward_its_cap_once_and_is_not_new()
    {
        var budget = new KeySymbolBudget(maxHeld: 4, newPerMinute: 2);
        budget.SetRemote("k", [(new KeyHoldings(["A", "B"], []), false), (new KeyHoldings(["B", "C"], []), true)]);
        Assert.Equal(3, budget.HeldInCluster("k"));

        Assert.Null(budget.TryHold("k", ["A", "B", "C"], T0)); // held elsewhere: no room, no churn
        Assert.Equal(3, budget.HeldInCluster("k"));
        var refusal = budget.TryHold("k", ["D", "E"], T0);
        Assert.Contains("at most 4 distinct symbols at once across the cluster (Limits:MaxSymbolsPerKey); it holds 3 and this request adds 2", refusal);
        Assert.Null(budget.TryHold("k", ["D"], T0));

        // The other nodes let everything go: only what this node holds is left.
        budget.SetRemote("k", []);
        Assert.Equal(4, budget.HeldInCluster("k"));
        Assert.Equal(4, budget.Held("k"));
    }

    [Fact]
    public void New_symbols_taken_on_other_nodes_spend_the_same_bucket()
    {
        var budget = new KeySymbolBudget(maxHeld: 100, newPerMinute: 60);
        budget.SetRemote("k", [(new KeyHoldings([], [new KeyHoldings.Take(T0, 30)]), false), (new KeyHoldings([], [new KeyHoldings.Take(T0.AddSeconds(1), 20)]), true)]);

        // 30 then 20 a second later: 49 spent at T0+1 s, 48 at T0+2 s, so 12 more fit and 13 do not.
        Assert.Contains("Limits:NewSymbolsPerKeyPerMinute", budget.TryHold("k", Symbols("A", 13), T0.AddSeconds(2)));
        Assert.Null(budget.TryHold("k", Symbols("A", 12), T0.AddSeconds(2)));
        Assert.NotNull(budget.TryHold("k", Symbols("B", 1), T0.AddSeconds(2)));

        // A minute on, every take has drained.
        Assert.Null(budget.TryHold("k", Symbols("C", 60), T0.AddSeconds(62)));
    }

    [Fact]
    public void What_a_node_publishes_survives_the_round_trip_and_its_takes_are_grouped_per_second()
    {
        var budget = new KeySymbolBudget(maxHeld: 10, newPerMinute: 60);
        var changed = new List<string>();
        budget.Changed += changed.Add;
        Assert.Null(budget.TryHold("k", ["A", "BRK.B"], T0));
        Assert.Null(budget.TryHold("k", ["BF-B"], T0.AddMilliseconds(300)));
        Assert.Null(budget.TryHold("k", ["C"], T0.AddSeconds(3)));
        Assert.Null(budget.TryHold("k", ["C"], T0.AddSeconds(3))); // a second connection: the node's holdings are the same
        budget.Release("k", ["C"]);
        Assert.Equal(["k", "k", "k"], changed);
        budget.Release("k", ["C"]);
        Assert.Equal(["k", "k", "k", "k"], changed);

        var published = KeyHoldings.Decode(budget.Local("k", T0.AddSeconds(4)).Encode());

        Assert.Equal(["A", "BF-B", "BRK.B"], published.Symbols.Order(StringComparer.Ordinal));
        Assert.Equal([new KeyHoldings.Take(T0.AddMilliseconds(300), 3), new KeyHoldings.Take(T0.AddSeconds(3), 1)], published.Takes);
        Assert.Same(KeyHoldings.None, KeyHoldings.Decode("A,B|x:1"));
        Assert.Same(KeyHoldings.None, KeyHoldings.Decode("no separator"));
    }

    private static List<string> Symbols(string prefix, int n) => Enumerable.Range(0, n).Select(i => $"{prefix}{i}").ToList();
    [Fact]
    public void Symbols_two_nodes_took_on_in_the_same_moment_are_charged_once_to_the_node_ranked_first()
    {
        // Two nodes admit the same three symbols for the key before either has heard of the other's holdings.
        var first = new KeySymbolBudget(maxHeld: 100, newPerMinute: 4);
        var second = new KeySymbolBudget(maxHeld: 100, newPerMinute: 4);
        Assert.Null(first.TryHold("k", ["A", "B", "C"], T0));
        Assert.Null(second.TryHold("k", ["A", "B", "C"], T0));

        // Their holdings meet (each sees the other; the first is ranked ahead of the second).
        second.SetRemote("k", [(first.Local("k", T0), true)]);
        first.SetRemote("k", [(second.Local("k", T0), false)]);
        Assert.Equal(3, first.Local("k", T0).Takes.Sum(t => t.Count));
        Assert.Empty(second.Local("k", T0).Takes); // charged to the first node

        // The bucket holds 3 of 4 on both nodes, not 6: one more symbol fits, on either node, and a second does not.
        Assert.Null(second.TryHold("k", ["D"], T0));
        first.SetRemote("k", [(second.Local("k", T0), false)]);
        Assert.Contains("at most 4 new symbols a minute", first.TryHold("k", ["E"], T0));
    }

    [Fact]
    public void A_key_is_forgotten_once_it_holds_nothing_anywhere_and_took_nothing_on_for_a_minute()
    {
        var budget = new KeySymbolBudget(maxHeld: 10, newPerMinute: 10);
        Assert.Null(budget.TryHold("released", ["A", "B", "C", "D", "E", "F"], T0));
        budget.Release("released", ["A", "B", "C", "D", "E", "F"]);
        Assert.Null(budget.TryHold("held", ["A"], T0));
        budget.SetRemote("elsewhere", [(new KeyHoldings(["B"], []), false)]);
        budget.SetRemote("unknown", [(KeyHoldings.None, false)]); // a key nobody uses is not remembered for it

        Assert.Equal(0, budget.Prune(T0.AddSeconds(59)));
        Assert.Equal(3, budget.KeysKnown);
        // Within the minute, what the released key took on still counts: forgetting it would refill its churn budget.
        Assert.Contains("Limits:NewSymbolsPerKeyPerMinute", budget.TryHold("released", ["G", "H", "I", "J", "K"], T0.AddSeconds(1)));

        Assert.Equal(1, budget.Prune(T0.AddSeconds(60)));
        Assert.Equal(2, budget.KeysKnown); // held here, held elsewhere
        budget.Release("held", ["A"]);
        budget.SetRemote("elsewhere", []);
        Assert.Equal(2, budget.Prune(T0.AddSeconds(60)));
        Assert.Equal(0, budget.KeysKnown);
    }
}
