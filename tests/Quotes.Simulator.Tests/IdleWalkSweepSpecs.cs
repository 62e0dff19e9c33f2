using System.Net;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The market forgets the walk of a symbol outside the reference universe that nobody has held for its idle time, and
/// with it the symbol's listing and history; a walk a connection holds, and a reference ticker's, stay as they are.
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
        Assert.NotSame(gone, Market.Walk("ZZGONE")); // made afresh when asked again
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
}
