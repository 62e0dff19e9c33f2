using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Quotes.Actors.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The proxy's identification timeouts as Akka 1.5.73 publishes them: one at once when identification starts, then one
/// per failure period. Only a singleton still missing a period after the first is worth a warning.
/// </summary>
public sealed class SingletonIdentificationWatchSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private DateTime _now = new(2026, 1, 5, 15, 0, 0, DateTimeKind.Utc);

    private IActorRef StartWatch() => Sys.ActorOf(Props.Create(() => new SingletonIdentificationWatch(Period, () => _now)));

    /// <summary>Tells and waits until the watch has handled it, so it reads the clock as the spec set it.</summary>
    private void Send(IActorRef watch, object result)
    {
        watch.Tell(result);
        watch.Tell(new Identify(null), TestActor);
        ExpectMsg<ActorIdentity>();
    }

    private static ClusterSingletonProxy.IdentifySingletonResult Timeout => ClusterSingletonProxy.IdentifySingletonResult.Timeout("polygon-upstream", "quotes");
    private static ClusterSingletonProxy.IdentifySingletonResult Found => ClusterSingletonProxy.IdentifySingletonResult.Success("polygon-upstream", "quotes");

    [Fact]
    public void The_tick_at_the_start_of_identification_is_not_a_warning()
    {
        var watch = StartWatch();
        EventFilter.Warning().Expect(0, () =>
        {
            Send(watch, Timeout); // the node starts: the proxy ticks at once
            Send(watch, Timeout); // and again when this node becomes the oldest member
            Send(watch, Found);
            _now += TimeSpan.FromMinutes(5);
            Send(watch, Timeout); // the oldest member changes (e.g. this node leaving): once more at once
            Send(watch, Found);
        });
    }

    [Fact]
    public void A_singleton_still_missing_a_failure_period_later_is_a_warning_and_its_return_is_logged()
    {
        var watch = StartWatch();
        Send(watch, Timeout);
        _now += TimeSpan.FromSeconds(10);
        EventFilter.Warning().Expect(0, () => Send(watch, Timeout));

        _now += TimeSpan.FromSeconds(20);
        EventFilter.Warning(contains: "No polygon-upstream singleton found in role quotes for 30 s").ExpectOne(() => Send(watch, Timeout));
        _now += TimeSpan.FromSeconds(5);
        EventFilter.Info(contains: "Singleton polygon-upstream identified again after 35 s").ExpectOne(() => Send(watch, Found));
    }
}
