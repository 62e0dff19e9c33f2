using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public class SubscriptionSetSpecs
{
    private static readonly DateTime T0 = new(2026, 11, 26, 15, 0, 0, DateTimeKind.Utc);
    private readonly SubscriptionSet _set = new(lease: TimeSpan.FromSeconds(15), linger: TimeSpan.FromSeconds(30), max: 3);

    [Fact]
    public void Wanted_symbols_are_subscribed_once()
    {
        _set.Want("AAPL", T0);
        _set.Want("AAPL", T0.AddSeconds(1));
        Assert.Equal(["AAPL"], _set.ToSubscribe(T0.AddSeconds(1)));
        _set.MarkSubscribed(["AAPL"]);
        Assert.Empty(_set.ToSubscribe(T0.AddSeconds(2)));
    }

    [Fact]
    public void Renewing_a_subscribed_symbol_changes_nothing_to_flush()
    {
        Assert.Equal(SubscriptionSet.WantOutcome.Pending, _set.Want("AAPL", T0));
        Assert.Equal(SubscriptionSet.WantOutcome.Renewed, _set.Want("AAPL", T0.AddSeconds(1))); // already pending
        _set.MarkSubscribed(["AAPL"]);
        Assert.Equal(0, _set.Pending);

        Assert.Equal(SubscriptionSet.WantOutcome.Renewed, _set.Want("AAPL", T0.AddSeconds(2)));
        Assert.Equal(0, _set.Pending);
        Assert.Equal(SubscriptionSet.WantOutcome.Pending, _set.Want("TSLA", T0.AddSeconds(2)));
        Assert.Equal(["TSLA"], _set.ToSubscribe(T0.AddSeconds(2)));
    }

    [Fact]
    public void A_released_symbol_lingers_before_it_is_unsubscribed()
    {
        _set.Want("AAPL", T0);
        _set.MarkSubscribed(["AAPL"]);
        _set.Release("AAPL", T0.AddSeconds(1));

        Assert.Empty(_set.ToUnsubscribe(T0.AddSeconds(30)));
        Assert.Equal(["AAPL"], _set.ToUnsubscribe(T0.AddSeconds(31)));
    }

    [Fact]
    public void Wanting_again_during_the_linger_keeps_the_subscription()
    {
        _set.Want("AAPL", T0);
        _set.MarkSubscribed(["AAPL"]);
        _set.Release("AAPL", T0.AddSeconds(1));
        _set.Want("AAPL", T0.AddSeconds(10));

        Assert.Empty(_set.ToUnsubscribe(T0.AddSeconds(40)));
    }

    [Fact]
    public void A_lapsed_lease_counts_as_a_release()
    {
        _set.Want("AAPL", T0);
        _set.MarkSubscribed(["AAPL"]);
        Assert.Empty(_set.ToUnsubscribe(T0.AddSeconds(44)));
        Assert.Equal(["AAPL"], _set.ToUnsubscribe(T0.AddSeconds(45)));
    }

    [Fact]
    public void After_a_lost_connection_every_wanted_symbol_is_subscribed_again()
    {
        _set.Want("AAPL", T0);
        _set.Want("TSLA", T0);
        _set.MarkSubscribed(["AAPL", "TSLA"]);
        _set.ConnectionLost();
        Assert.Equal(["AAPL", "TSLA"], _set.ToSubscribe(T0.AddSeconds(1)));
    }

    [Fact]
    public void Admission_is_all_or_nothing_and_carried_or_lingering_symbols_cost_nothing()
    {
        Assert.True(_set.TryAdmit(["A", "B"], T0, out var flush));
        Assert.True(flush);
        _set.MarkSubscribed(["A", "B"]);

        Assert.False(_set.TryAdmit(["B", "C", "D"], T0, out _));
        Assert.Equal(2, _set.Carried);
        Assert.False(_set.IsWanted("C", T0));

        _set.Release("A", T0.AddSeconds(1)); // lingering: still carried
        Assert.True(_set.TryAdmit(["A", "B", "C"], T0.AddSeconds(2), out _));
        Assert.Equal(3, _set.Carried);
        Assert.True(_set.IsWanted("C", T0.AddSeconds(2)));
    }

    [Fact]
    public void Wants_past_the_cap_are_refused_whatever_their_path_and_carried_ones_are_still_renewed()
    {
        foreach (var symbol in new[] { "A", "B", "C" }) Assert.Equal(SubscriptionSet.WantOutcome.Pending, _set.Want(symbol, T0));
        Assert.Equal(SubscriptionSet.WantOutcome.OverCap, _set.Want("D", T0));
        Assert.Equal(SubscriptionSet.WantOutcome.OverCap, _set.Want("E", T0));
        Assert.Equal(["A", "B", "C"], _set.ToSubscribe(T0));
        _set.MarkSubscribed(["A", "B", "C"]);
        Assert.Equal(SubscriptionSet.WantOutcome.Renewed, _set.Want("A", T0.AddSeconds(1)));

        // A released symbol still lingers (carried): no room until it is gone.
        _set.Release("A", T0.AddSeconds(1));
        Assert.Equal(SubscriptionSet.WantOutcome.OverCap, _set.Want("D", T0.AddSeconds(2)));
        _set.Want("B", T0.AddSeconds(31));
        _set.Want("C", T0.AddSeconds(31));
        _set.MarkUnsubscribed(_set.ToUnsubscribe(T0.AddSeconds(31)));
        Assert.Equal(SubscriptionSet.WantOutcome.Pending, _set.Want("D", T0.AddSeconds(32)));
        Assert.Equal(3, _set.Carried);
    }
}
