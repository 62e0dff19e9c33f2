using Akka.Actor;
using Quotes.Actors.Messages;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// When the upstream calls its feed stale and replaces it (<see cref="UpstreamSpecKit"/>): a silence past <c>StaleAfter</c>
/// while the market is open, counted from the open and from the first subscription, doubled for replacements in a row.
/// </summary>
public sealed class UpstreamStaleFeedSpecs(ITestOutputHelper output) : UpstreamSpecKit(output)
{
    [Fact]
    public async Task A_feed_silent_past_StaleAfter_while_the_market_is_open_is_reported_stale_and_replaced()
    {
        var (upstream, _, hub) = Start(held: ["STL1"], staleAfter: TimeSpan.FromSeconds(2), market: _ => MarketStates.Open);
        await SubscribedAsync(upstream, ["STL1"]);

        Simulator.Market.Faults.Stalled = true; // open, answering nothing: no aggregate, and no pong either (but pings are 20 s away)
        var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(10)));
        Assert.StartsWith("stale: no aggregate", stale.Reason);
        Simulator.Market.Faults.Stalled = false;

        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(20)));
        Assert.True(Simulator.Market.Report().ConnectionsOpened >= 2);
    }

    [Fact]
    public async Task Connections_replaced_as_stale_in_a_row_each_get_twice_the_silence_and_an_aggregate_starts_over()
    {
        var (upstream, region, hub) = Start(held: ["STL4"], staleAfter: TimeSpan.FromSeconds(1), market: _ => MarketStates.Open);
        await SubscribedAsync(upstream, ["STL4"]);

        // A halt: every connection authenticates and subscribes, and none carries an aggregate. Replacing it cannot help,
        // so each replacement in a row waits twice as long: 1 s, 2 s, 4 s of silence.
        Simulator.Market.Faults.Halted = true;
        var silences = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(20)));
            silences.Add(int.Parse(System.Text.RegularExpressions.Regex.Match(stale.Reason, @"no aggregate for (\d+) s").Groups[1].Value));
        }
        Assert.True(silences[0] >= 1 && silences[1] >= 2 && silences[2] >= 4, $"silences before each replacement: {string.Join(", ", silences)} s");

        // Trading again: after an aggregate the next silence is StaleAfter again.
        Simulator.Market.Faults.Halted = false;
        var resumed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await region.FishForMessageAsync<SymbolProtocol.Aggregate>(a => a.Symbol == "STL4" && a.Bar.End > resumed, Dilated(TimeSpan.FromSeconds(20)));
        Simulator.Market.Faults.Halted = true;
        var again = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(20)));
        Assert.Matches(@"no aggregate for [12] s", again.Reason);
        Simulator.Market.Faults.Halted = false;
    }

    [Fact]
    public async Task The_first_symbol_after_a_spell_with_nothing_subscribed_gets_StaleAfter_before_the_feed_is_stale()
    {
        // Found from outside: the first subscribe after a quiet spell reported the feed stale at once, replaced it and
        // logged a warning, the time with nothing subscribed counted as silence.
        var (upstream, _, hub) = Start(held: [], staleAfter: TimeSpan.FromSeconds(2), market: _ => MarketStates.Open);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        Simulator.Market.Faults.Halted = true; // nothing will trade: the feed is stale StaleAfter after the subscribe, not sooner
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromSeconds(3))); // nothing subscribed for longer than StaleAfter

        var after = await StaleAfterAsync(hub, () => upstream.Tell(new UpstreamProtocol.WantBatch(["STL5"])));
        Simulator.Market.Faults.Halted = false;
        Assert.True(after >= TimeSpan.FromSeconds(2), $"stale {after.TotalSeconds:F1} s after the subscribe: the time with nothing subscribed counted");
    }

    [Fact]
    public async Task A_feed_silent_since_before_the_open_gets_StaleAfter_from_the_open_before_it_is_stale()
    {
        var market = MarketStates.ExtendedHours;
        var (upstream, _, hub) = Start(held: ["STL3"], staleAfter: TimeSpan.FromSeconds(2), market: _ => Volatile.Read(ref market));
        await SubscribedAsync(upstream, ["STL3"]);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));
        Simulator.Market.Faults.Stalled = true;
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromSeconds(3))); // silent for longer than StaleAfter before the open

        // Counted from the open (seen by a sweep at most a second later), the feed is stale 2 to 3 s after it, not at once.
        var after = await StaleAfterAsync(hub, () => Volatile.Write(ref market, MarketStates.Open));
        Simulator.Market.Faults.Stalled = false;
        Assert.True(after >= TimeSpan.FromSeconds(2), $"stale {after.TotalSeconds:F1} s after the open: the silence before it counted");
    }

    [Fact]
    public async Task Outside_market_hours_a_silent_feed_is_normal_and_nothing_happens()
    {
        var (upstream, _, hub) = Start(held: ["STL2"], staleAfter: TimeSpan.FromSeconds(1), market: _ => MarketStates.Closed);
        await SubscribedAsync(upstream, ["STL2"]);
        await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "connected", Dilated(TimeSpan.FromSeconds(10)));

        Simulator.Market.Faults.Stalled = true;
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromSeconds(3)));
        Simulator.Market.Faults.Stalled = false;

        Assert.Equal("connected", (await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)))).State);
        Assert.Equal(1, Simulator.Market.Report().ConnectionsOpened);
    }

    /// <summary>Does <paramref name="change"/>, then waits for the hub to hear the feed called stale (for lack of aggregates); how long after.</summary>
    private async Task<TimeSpan> StaleAfterAsync(Akka.TestKit.TestProbe hub, Action change)
    {
        var changedAt = DateTime.UtcNow;
        change();
        var stale = await hub.FishForMessageAsync<UpstreamProtocol.StatusChanged>(s => s.State == "stale", Dilated(TimeSpan.FromSeconds(10)));
        Assert.StartsWith("stale: no aggregate", stale.Reason);
        return DateTime.UtcNow - changedAt;
    }
}
