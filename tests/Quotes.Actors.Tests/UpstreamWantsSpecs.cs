using Akka.Event;
using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class UpstreamWantsSpecs
{
    private static readonly DateTime T = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(30);

    private static UpstreamWants Wants(int max = 10) => new(new SubscriptionSet(Lease, Linger, max), NoLogger.Instance);

    [Fact]
    public void Pending_wants_go_out_in_one_subscribe_and_are_returned_for_the_refill()
    {
        var wants = Wants();
        var sent = new List<string>();

        Assert.True(wants.Want(["AAA", "BBB"], T));
        var added = wants.SubscribePending(a => { sent.Add(a); return true; }, T);

        Assert.Equal(["AAA", "BBB"], added.Order());
        Assert.Contains("subscribe", Assert.Single(sent));
        Assert.Empty(wants.SubscribePending(a => { sent.Add(a); return true; }, T)); // nothing pending any more
    }

    [Fact]
    public void The_sync_unsubscribes_what_lingered_out_and_keeps_it_subscribed_when_the_link_refuses()
    {
        var wants = Wants();
        wants.Want(["AAA"], T);
        wants.SubscribePending(_ => true, T);
        var later = T + Lease + Linger;

        wants.Sync(_ => false, later);
        Assert.Contains("AAA", wants.Set.Subscribed);

        var sent = new List<string>();
        wants.Sync(a => { sent.Add(a); return true; }, later);
        Assert.Contains("unsubscribe", Assert.Single(sent));
        Assert.Empty(wants.Set.Subscribed);
    }

    [Fact]
    public void Past_the_cap_an_admission_is_refused_whole_and_a_want_is_not_pending()
    {
        var wants = Wants(max: 2);

        Assert.True(wants.Admit(["AAA", "BBB"], T, out var pending).Admitted);
        Assert.True(pending);
        var refused = wants.Admit(["CCC"], T, out _);

        Assert.False(refused.Admitted);
        Assert.Equal((2, 2), (refused.Carried, refused.Max));
        Assert.False(wants.Want(["DDD"], T));
        Assert.Equal(1, wants.OverCap);
    }

    [Fact]
    public void Refusals_past_the_cap_are_forgotten_a_minute_later_by_the_connected_sweep_too()
    {
        // The sweep of a connected holder runs Sync, not Sweep: a refusal must still count as "in the last minute" only.
        var wants = Wants(max: 1);
        wants.Want(["AAA"], T);
        wants.SubscribePending(_ => true, T);
        Assert.False(wants.Want(["BBB"], T));
        Assert.Equal(1, wants.OverCap);

        wants.Want(["AAA"], T + OverCapLog.Every);
        wants.Sync(_ => true, T + OverCapLog.Every - TimeSpan.FromSeconds(1));
        Assert.Equal(1, wants.OverCap);
        wants.Sync(_ => true, T + OverCapLog.Every);
        Assert.Equal(0, wants.OverCap);
    }
}
