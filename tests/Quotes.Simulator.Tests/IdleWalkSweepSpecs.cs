using System.Net;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The market stops listing the walk of a symbol outside the reference universe that nobody has held for its idle time,
/// and drops its history; the walk itself comes back if the symbol is subscribed again before its day is over. A walk a
/// connection holds, and a reference ticker's, stay as they are.
/// </summary>
public sealed class IdleWalkSweepSpecs : IAsyncLifetime
{
    private static readonly long Idle = (long)MarketSimulator.WalkIdleTime.TotalMilliseconds;
    private SimulatorRest _rest = null!;

    public async Task InitializeAsync() => _rest = await SimulatorRest.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private MarketSimulator Market => _rest.Market;

    /// <summary>
    /// A time an idle time ahead, swept at once: the clock's own sweeps, dated before it, change nothing from now on, so
    /// only the spec's sweeps start and end idle times.
    /// </summary>
    private long SweptAhead()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Idle;
        Market.SweepIdleWalks(now);
        return now;
    }

    private async Task<TestSocket> SubscribedAsync(string symbol)
    {
        var socket = await TestSocket.ConnectAsync(new Uri(_rest.Simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync($$"""{"action":"auth","params":"{{SimulatorRest.Key}}"}""");
        await socket.ExpectAsync("status", "auth_success");
        await socket.SendAsync($$"""{"action":"subscribe","params":"A.{{symbol}}"}""");
        await socket.ExpectAsync("ev", "A");
        return socket;
    }

    [Fact]
    public async Task A_walk_nobody_holds_goes_after_the_idle_time_and_a_held_one_or_a_reference_tickers_stays()
    {
        var now = SweptAhead();
        await using var socket = await SubscribedAsync("ZZHELD");
        var (held, gone, aapl) = (Market.Walk("ZZHELD"), Market.Walk("ZZGONE"), Market.Walk("AAPL"));
        var history = Market.History("ZZGONE");

        Market.SweepIdleWalks(now + 1); // the first sweep to find nobody holding ZZGONE
        Assert.True(Market.Knows("ZZGONE"));
        Market.SweepIdleWalks(now + 1 + Idle);

        Assert.False(Market.Knows("ZZGONE"));
        Assert.Equal(HttpStatusCode.NotFound, (await _rest.GetAsync("/v2/snapshot/locale/us/markets/stocks/tickers/ZZGONE")).Status);
        Assert.Same(held, Market.Walk("ZZHELD"));
        Assert.Same(aapl, Market.Walk("AAPL"));
        Assert.NotSame(gone, Market.Walk("ZZGONE")); // made afresh when asked again: it never stepped, so nothing was kept
        Assert.NotSame(history, Market.History("ZZGONE"));
        Assert.Same(Market.History("ZZHELD"), Market.History("ZZHELD"));
    }

    [Fact]
    public async Task A_symbol_goes_only_once_its_last_subscriber_has_been_gone_for_the_idle_time()
    {
        var now = SweptAhead();
        var socket = await SubscribedAsync("ZZLEFT");
        var walk = Market.Walk("ZZLEFT");
        Market.SweepIdleWalks(now + 1);
        await socket.SendAsync("""{"action":"unsubscribe","params":"A.ZZLEFT"}""");
        await socket.ExpectAsync("message", "unsubscribed to: A.ZZLEFT");
        await socket.DisposeAsync();

        Market.SweepIdleWalks(now + 1 + Idle); // the first sweep to find nobody holding it
        Assert.Same(walk, Market.Walk("ZZLEFT"));
        Market.SweepIdleWalks(now + 1 + 2 * Idle);

        Assert.False(Market.Knows("ZZLEFT"));
    }

    private static long NewYorkMs(DateOnly day, TimeOnly time) => MarketCalendar.FromNewYork(day.ToDateTime(time)).ToUnixTimeMilliseconds();

    /// <summary>A New York date two days ahead: sweeps dated on it are later than the clock's own, which then change nothing.</summary>
    private static DateOnly DayAhead() => DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow.AddDays(2)));

    /// <summary>Steps <paramref name="walks"/> alike through <paramref name="day"/> from 09:30 to 10:30 New York, in ten-second windows.</summary>
    private static void TradeTheMorning(DateOnly day, params PriceWalk[] walks)
    {
        for (var end = NewYorkMs(day, new TimeOnly(9, 30, 10)); end <= NewYorkMs(day, new TimeOnly(10, 30)); end += 10_000)
            foreach (var walk in walks) walk.Next(end, 10_000);
    }

    /// <summary>The snapshot's <c>day</c> and <c>prevDay</c>, as REST tells them.</summary>
    private async Task<(string Day, string PreviousDay)> SnapshotDayAsync(string symbol)
    {
        var (status, body) = await _rest.GetAsync($"/v2/snapshot/locale/us/markets/stocks/tickers/{symbol}");
        Assert.Equal(HttpStatusCode.OK, status);
        var ticker = body.GetProperty("ticker");
        return (ticker.GetProperty("day").GetRawText(), ticker.GetProperty("prevDay").GetRawText());
    }

    [Fact]
    public async Task A_walk_subscribed_again_the_same_day_goes_on_from_where_it_stood_with_the_day_REST_told()
    {
        var day = DayAhead();
        Market.SweepIdleWalks(NewYorkMs(day, new TimeOnly(9, 0)));
        var walk = Market.Walk("ZZBACK");
        var kept = new PriceWalk("ZZBACK", Market.Options.Seed); // the same walk, never forgotten
        TradeTheMorning(day.AddDays(-1), walk, kept); // a day it ended: the snapshot's prevDay
        TradeTheMorning(day, walk, kept);
        var told = await SnapshotDayAsync("ZZBACK");

        Market.SweepIdleWalks(NewYorkMs(day, new TimeOnly(10, 31))); // the first sweep to find nobody holding it
        Market.SweepIdleWalks(NewYorkMs(day, new TimeOnly(11, 31)));
        Assert.False(Market.Knows("ZZBACK")); // unlisted while nobody holds it, as before
        Market.Hold("ZZBACK"); // subscribed again in the afternoon

        Assert.Equal(told, await SnapshotDayAsync("ZZBACK"));
        var afternoon = NewYorkMs(day, new TimeOnly(14, 0));
        Assert.Equal(kept.Next(afternoon, 10_000), Market.Walk("ZZBACK").Next(afternoon, 10_000));
    }

    [Fact]
    public void A_walk_whose_day_ended_while_nobody_held_it_is_forgotten_and_a_new_subscription_starts_afresh()
    {
        var day = DayAhead();
        Market.SweepIdleWalks(NewYorkMs(day, new TimeOnly(9, 0)));
        var walk = Market.Walk("ZZDONE");
        TradeTheMorning(day, walk);
        Market.SweepIdleWalks(NewYorkMs(day, new TimeOnly(10, 31)));
        Market.SweepIdleWalks(NewYorkMs(day, new TimeOnly(11, 31)));

        Market.SweepIdleWalks(NewYorkMs(day.AddDays(1), new TimeOnly(0, 0, 30)));
        Market.Hold("ZZDONE");

        var fresh = Market.Walk("ZZDONE");
        Assert.NotSame(walk, fresh);
        Assert.Null(fresh.Session); // from the seed, not yet on any day
    }
}
