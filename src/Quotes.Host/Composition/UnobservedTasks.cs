using Akka.Actor;
using DotNetty.Transport.Channels;
using Serilog;
using Serilog.Events;

namespace Quotes.Host.Composition;

/// <summary>
/// How the process reports a task whose failure nobody observed. An error, except for two failures of Akka.NET's own that
/// it never observes, both harmless by the time they surface:
/// <list type="bullet">
/// <item>asks that timed out and nobody awaited: Akka.Cluster.Sharding's region queries (<c>GetShardRegionStats</c>, which
/// the node's gauges and <c>/admin/cluster</c> ask) wait for their shards with <c>Task.WhenAll</c> and never observe its
/// failure, so a shard that does not answer within the region's query timeout (one stopping while its node shuts down)
/// surfaces here seconds later, long after the region answered with that shard counted as failed;</item>
/// <item>Akka.Remote's writes to a connection that had closed (DotNetty's <see cref="ClosedChannelException"/>): a peer that
/// crashed or left, or this node's own transport shutting down, while messages were on their way; the cluster handles the
/// peer's loss, and nobody waits for those writes.</item>
/// </list>
/// Every ask of ours is awaited. An operator alerting on errors must not be woken by a rolling restart.
/// </summary>
public static class UnobservedTasks
{
    /// <summary>True when every failure inside <paramref name="exception"/> is one of Akka.NET's harmless unobserved ones.</summary>
    public static bool OnlyHarmless(AggregateException exception) =>
        exception.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(e => e is AskTimeoutException or ClosedChannelException);

    /// <summary>The level such a failure is logged at.</summary>
    public static LogEventLevel LevelOf(AggregateException exception) => OnlyHarmless(exception) ? LogEventLevel.Information : LogEventLevel.Error;

    public static void Report(AggregateException exception)
    {
        if (LevelOf(exception) == LogEventLevel.Error) Log.Error(exception, "Unobserved task exception");
        else Log.Information("A task of Akka.NET's failed harmlessly, nobody waiting for it: {Message} (an ask that timed out, as " +
            "sharding's queries leave them, or a remote write to a connection that had closed)", exception.InnerException?.Message);
    }
}
