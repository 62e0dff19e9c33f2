using Xunit;

namespace Quotes.Client.Tests;

public sealed class KeepAliveSpecs
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Should_wait_out_the_interval_after_the_last_message()
    {
        var keepAlive = new KeepAlive(Interval, Timeout, At(0));
        keepAlive.Heard(At(4));
        Assert.Equal(new KeepAliveStep(KeepAliveAction.Wait, At(14)), keepAlive.Next(At(5)));
    }

    [Fact]
    public void Should_ping_a_silent_link_then_replace_it_when_nothing_answers()
    {
        var keepAlive = new KeepAlive(Interval, Timeout, At(0));
        Assert.Equal(new KeepAliveStep(KeepAliveAction.SendPing, Timeout), keepAlive.Next(At(15)));
        Assert.Equal(new KeepAliveStep(KeepAliveAction.Wait, At(4)), keepAlive.Next(At(21)));
        Assert.Equal(KeepAliveAction.Reconnect, keepAlive.Next(At(25)).Action);
    }

    [Fact]
    public void Should_count_any_message_after_the_ping_as_life()
    {
        var keepAlive = new KeepAlive(Interval, Timeout, At(0));
        Assert.Equal(KeepAliveAction.SendPing, keepAlive.Next(At(15)).Action);
        keepAlive.Heard(At(16)); // a quote, or the pong
        Assert.Equal(new KeepAliveStep(KeepAliveAction.Wait, At(14)), keepAlive.Next(At(17)));
    }
}
