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

    private static List<string> Symbols(string prefix, int n) => Enumerable.Range(0, n).Select(i => $"{prefix}{i}").ToList();
}
