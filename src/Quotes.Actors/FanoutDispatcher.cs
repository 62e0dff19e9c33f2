using Akka.Hosting;

namespace Quotes.Actors;

/// <summary>
/// The dispatcher of the quote data path: the upstream, the symbol entities, and the hub. It has its own
/// threads (one per core), so a burst's updates are never queued on the .NET thread pool behind thousands of socket
/// writers and Kestrel's I/O: the writers and the data path run side by side on every core. Sharding's own actors
/// (coordinator, regions, shards) stay on Akka's internal dispatcher, so allocation and hand-off never queue behind a burst.
/// </summary>
public static class FanoutDispatcher
{
    public const string Id = "quotes-fanout-dispatcher";

    /// <summary>Defines the dispatcher; every registration that uses it calls this (defining it twice is harmless).</summary>
    public static AkkaConfigurationBuilder AddFanoutDispatcher(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon($$"""
            {{Id}} {
              type = ForkJoinDispatcher
              throughput = 100
              dedicated-thread-pool {
                thread-count = {{Math.Max(2, Environment.ProcessorCount)}}
                threadtype = background
              }
            }
            """, HoconAddMode.Prepend);
}
