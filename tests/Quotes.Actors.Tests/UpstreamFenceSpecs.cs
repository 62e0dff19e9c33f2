using System.Diagnostics;
using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>The upstream fence on a clock of its own: beats renew the send permit, a freeze trips it.</summary>
public sealed class UpstreamFenceSpecs
{
    private long _now = 1_000 * Stopwatch.Frequency;
    private readonly List<TimeSpan> _trips = [];
    private int _aborts;

    private UpstreamFence Fence()
    {
        var fence = new UpstreamFence(() => _now, gap => _trips.Add(gap));
        fence.Guard(() => _aborts++);
        return fence;
    }

    private void Advance(TimeSpan by) => _now += (long)(by.TotalSeconds * Stopwatch.Frequency);

    [Fact]
    public void Steady_beats_keep_the_permit()
    {
        var fence = Fence();
        for (var i = 0; i < 50; i++)
        {
            Advance(UpstreamFence.BeatInterval);
            fence.Beat();
            Assert.True(fence.MaySend());
        }
        Assert.Equal((0, 0), (_trips.Count, _aborts));
    }

    [Fact]
    public void Without_beats_the_permit_runs_out_before_the_watch_runs_again()
    {
        var fence = Fence();
        fence.Beat();
        Advance(UpstreamFence.Validity + TimeSpan.FromMilliseconds(1));
        // The process just resumed: the watch thread has not beaten yet, and a send must already be refused.
        Assert.False(fence.MaySend());
        Assert.Equal(0, _aborts);
    }

    [Fact]
    public void A_beat_after_a_freeze_trips_the_fence_cuts_the_socket_and_renews_nothing()
    {
        var fence = Fence();
        fence.Beat();
        Advance(TimeSpan.FromSeconds(10));
        fence.Beat();

        Assert.Equal([TimeSpan.FromSeconds(10)], _trips);
        Assert.Equal(1, _aborts);
        Assert.True(fence.IsTripped);
        Advance(UpstreamFence.BeatInterval);
        fence.Beat();
        Assert.False(fence.MaySend());
        Assert.Single(_trips);
    }

    [Fact]
    public void Re_armed_it_permits_again_at_once_and_the_beats_keep_it()
    {
        var fence = Fence();
        Advance(TimeSpan.FromSeconds(5));
        fence.Beat();
        Assert.False(fence.MaySend());
        fence.Rearm();
        Assert.True(fence.MaySend());
        Advance(UpstreamFence.BeatInterval);
        fence.Beat();
        Assert.True(fence.MaySend());
        Assert.Single(_trips);
    }

    [Fact]
    public void Closed_it_cuts_the_socket_and_never_permits_again()
    {
        var fence = Fence();
        fence.Close();
        Assert.Equal(1, _aborts);
        fence.Rearm();
        Advance(UpstreamFence.BeatInterval);
        fence.Beat();
        Assert.False(fence.MaySend());
    }
}
