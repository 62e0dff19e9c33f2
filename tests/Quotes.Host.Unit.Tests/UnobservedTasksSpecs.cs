using Akka.Actor;
using Quotes.Host.Composition;
using Serilog.Events;
using Xunit;

namespace Quotes.Host.Unit.Tests;

public sealed class UnobservedTasksSpecs
{
    [Fact]
    public void An_unawaited_ask_that_timed_out_is_information_as_sharding_leaves_its_region_queries()
    {
        var timedOut = new AggregateException(new AskTimeoutException("Timeout after 3.00 seconds"));
        Assert.Equal(LogEventLevel.Information, UnobservedTasks.LevelOf(timedOut));
        Assert.Equal(LogEventLevel.Information, UnobservedTasks.LevelOf(new AggregateException(timedOut, new AskTimeoutException("again"))));
    }

    [Fact]
    public void A_remote_write_to_a_closed_connection_is_information_as_Akka_Remote_leaves_them()
    {
        // Seen in a clean-clone run: a SIGKILLed peer and a node's own leave each surfaced one at ERR, minutes apart.
        var closed = new AggregateException(new DotNetty.Transport.Channels.ClosedChannelException());
        Assert.Equal(LogEventLevel.Information, UnobservedTasks.LevelOf(closed));
        Assert.Equal(LogEventLevel.Information, UnobservedTasks.LevelOf(new AggregateException(closed, new AskTimeoutException("t"))));
        Assert.Equal(LogEventLevel.Error, UnobservedTasks.LevelOf(new AggregateException(closed, new IOException("reset"))));
    }

    [Fact]
    public void Any_other_failure_or_a_mix_is_an_error()
    {
        Assert.Equal(LogEventLevel.Error, UnobservedTasks.LevelOf(new AggregateException(new InvalidOperationException("boom"))));
        Assert.Equal(LogEventLevel.Error, UnobservedTasks.LevelOf(new AggregateException(new AskTimeoutException("t"), new IOException("reset"))));
        Assert.Equal(LogEventLevel.Error, UnobservedTasks.LevelOf(new AggregateException()));
    }
}
