using Akka.Actor;
using Serilog;
using Serilog.Events;

namespace Quotes.Host.Composition;

/// <summary>
/// How the process reports a task whose failure nobody observed. An error, except for asks that timed out and nobody
/// awaited: Akka.Cluster.Sharding's region queries (<c>GetShardRegionStats</c>, which the node's gauges and
/// <c>/admin/cluster</c> ask) wait for their shards with <c>Task.WhenAll</c> and never observe its failure, so a shard that
/// does not answer within the region's query timeout (one stopping while its node shuts down) surfaces here seconds
/// later, long after the region answered with that shard counted as failed. Every ask of ours is awaited.
/// </summary>
public static class UnobservedTasks
{
    /// <summary>True when every failure inside <paramref name="exception"/> is an <see cref="AskTimeoutException"/>.</summary>
    public static bool OnlyAskTimeouts(AggregateException exception) =>
        exception.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(e => e is AskTimeoutException);

    /// <summary>The level such a failure is logged at.</summary>
    public static LogEventLevel LevelOf(AggregateException exception) => OnlyAskTimeouts(exception) ? LogEventLevel.Information : LogEventLevel.Error;

    public static void Report(AggregateException exception)
    {
        if (LevelOf(exception) == LogEventLevel.Error) Log.Error(exception, "Unobserved task exception");
        else Log.Information("An ask nobody awaited timed out ({Message}): a sharding query whose shard did not answer in time, already answered without it",
            exception.InnerException?.Message);
    }
}
