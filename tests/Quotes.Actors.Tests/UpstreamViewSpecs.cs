using Akka.Actor;
using Quotes.Actors.Cluster;
using Quotes.Actors.Fanout;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class UpstreamViewSpecs
{
    private static readonly Address Holder = new("akka.tcp", "quotes", "10.0.0.1", 4053);
    private static readonly Address NewHolder = new("akka.tcp", "quotes", "10.0.0.3", 4053);

    [Fact]
    public void Before_any_report_nothing_is_in_or_out_of_sight()
    {
        var view = new UpstreamView();

        Assert.False(view.Sighted(Sight.Unreachable));
        Assert.Equal(UpstreamStates.Connecting, view.State);
    }

    [Fact]
    public void A_holder_out_of_sight_is_reconnecting_until_it_is_in_sight_again()
    {
        var view = new UpstreamView();
        Assert.True(view.Reported(UpstreamStates.Connected, "authenticated", Holder));
        Assert.False(view.Sighted(Sight.InSight));

        Assert.True(view.Sighted(Sight.Unreachable));
        Assert.Equal((UpstreamStates.Reconnecting, UpstreamView.UnreachableReason), (view.State, view.Reason));
        Assert.False(view.Sighted(Sight.Unreachable));

        Assert.True(view.Sighted(Sight.InSight));
        Assert.Equal((UpstreamStates.Connected, "authenticated"), (view.State, view.Reason));
    }

    [Fact]
    public void A_holder_that_left_is_reconnecting_with_its_own_reason_until_the_new_holder_reports()
    {
        var view = new UpstreamView();
        view.Reported(UpstreamStates.Connected, "authenticated", Holder);

        Assert.True(view.Sighted(Sight.Gone));
        Assert.Equal((UpstreamStates.Reconnecting, UpstreamView.GoneReason), (view.State, view.Reason));
        // The reason changes with the state unchanged: readiness and the admin report follow, clients need no new status.
        Assert.True(view.Sighted(Sight.Unreachable));
        Assert.Equal((UpstreamStates.Reconnecting, UpstreamView.UnreachableReason), (view.State, view.Reason));

        Assert.False(view.Reported(UpstreamStates.Reconnecting, "connecting", NewHolder)); // clients already saw reconnecting
        Assert.Equal(("connecting", NewHolder, Sight.InSight), (view.Reason, view.Holder, view.HolderSight));
        Assert.True(view.Reported(UpstreamStates.Connected, "authenticated", NewHolder));
    }

    [Fact]
    public void A_report_from_the_holder_puts_it_back_in_sight()
    {
        var view = new UpstreamView();
        view.Reported(UpstreamStates.Connected, "authenticated", Holder);
        view.Sighted(Sight.Unreachable);

        Assert.True(view.Reported(UpstreamStates.Connected, "authenticated", Holder));
        Assert.Equal(Sight.InSight, view.HolderSight);
    }
}
