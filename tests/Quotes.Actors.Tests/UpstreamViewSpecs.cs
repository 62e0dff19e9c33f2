using Akka.Actor;
using Quotes.Actors.Fanout;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class UpstreamViewSpecs
{
    private static readonly Address Holder = new("akka.tcp", "quotes", "10.0.0.1", 4053);
    private static readonly Address Other = new("akka.tcp", "quotes", "10.0.0.2", 4053);
    private static readonly Address NewHolder = new("akka.tcp", "quotes", "10.0.0.3", 4053);

    [Fact]
    public void The_holders_report_stands_while_its_node_is_reachable()
    {
        var view = new UpstreamView();

        Assert.True(view.Reported(UpstreamStates.Connected, "authenticated", Holder));
        Assert.False(view.Unreachable(Other));

        Assert.Equal((UpstreamStates.Connected, "authenticated"), (view.State, view.Reason));
    }

    [Fact]
    public void An_unreachable_holder_is_reconnecting_until_it_is_reachable_again()
    {
        var view = new UpstreamView();
        view.Reported(UpstreamStates.Connected, "authenticated", Holder);

        Assert.True(view.Unreachable(Holder));
        Assert.Equal((UpstreamStates.Reconnecting, UpstreamView.UnreachableReason), (view.State, view.Reason));
        Assert.False(view.Reachable(Other));
        Assert.Equal(UpstreamStates.Reconnecting, view.State);

        Assert.True(view.Reachable(Holder));
        Assert.Equal((UpstreamStates.Connected, "authenticated"), (view.State, view.Reason));
    }

    [Fact]
    public void After_a_fail_over_the_new_holders_report_is_shown()
    {
        var view = new UpstreamView();
        view.Reported(UpstreamStates.Connected, "authenticated", Holder);
        view.Unreachable(Holder);

        Assert.False(view.Reported(UpstreamStates.Reconnecting, "connecting", NewHolder)); // clients already saw reconnecting
        Assert.Equal("connecting", view.Reason);
        Assert.True(view.Reported(UpstreamStates.Connected, "authenticated", NewHolder));
        // The old holder's node is forgotten: it coming back changes nothing, the new one going away does.
        Assert.False(view.Reachable(Holder));
        Assert.True(view.Unreachable(NewHolder));
    }

    [Fact]
    public void A_holder_on_this_node_has_a_local_address_that_no_member_event_names()
    {
        var view = new UpstreamView();
        view.Reported(UpstreamStates.Connected, "authenticated", new Address("akka", "quotes"));

        Assert.False(view.Unreachable(Holder));
        Assert.Equal(UpstreamStates.Connected, view.State);
    }
}
