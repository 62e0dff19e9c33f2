using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>Which walks the market forgets: symbols outside the reference universe that nobody has held for the idle time.</summary>
public class IdleWalksSpecs
{
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
    private static readonly HashSet<string> Nobody = [];

    [Fact]
    public void A_symbol_nobody_holds_goes_once_the_idle_time_has_passed_since_a_sweep_first_found_it_so()
    {
        var idle = new IdleWalks(TimeSpan.FromHours(1));

        Assert.Empty(idle.Sweep(["ZZQX"], Nobody, 0));
        Assert.Empty(idle.Sweep(["ZZQX"], Nobody, Hour - 1));
        Assert.Equal(["ZZQX"], idle.Sweep(["ZZQX"], Nobody, Hour));
    }

    [Fact]
    public void A_held_symbol_and_a_reference_ticker_never_go()
    {
        var idle = new IdleWalks(TimeSpan.FromHours(1));

        for (var t = 0L; t <= 3 * Hour; t += Hour) Assert.Empty(idle.Sweep(["ZZQX", "AAPL"], new HashSet<string> { "ZZQX" }, t));
        Assert.Empty(idle.Sweep(["ZZQX", "AAPL"], Nobody, 4 * Hour)); // ZZQX's idle time starts now
        Assert.Equal(["ZZQX"], idle.Sweep(["ZZQX", "AAPL"], Nobody, 5 * Hour));
    }

    [Fact]
    public void A_subscription_between_two_sweeps_starts_the_idle_time_again()
    {
        var idle = new IdleWalks(TimeSpan.FromHours(1));
        idle.Sweep(["ZZQX"], Nobody, 0);

        idle.Held("ZZQX"); // subscribed and unsubscribed again before the next sweep

        Assert.Empty(idle.Sweep(["ZZQX"], Nobody, Hour));
        Assert.Equal(["ZZQX"], idle.Sweep(["ZZQX"], Nobody, 2 * Hour));
    }

    [Fact]
    public void A_sweep_dated_before_the_last_one_changes_nothing()
    {
        var idle = new IdleWalks(TimeSpan.FromHours(1));
        idle.Sweep(["ZZQX"], Nobody, 2 * Hour);

        Assert.Empty(idle.Sweep(["ZZQX"], Nobody, 0));
        Assert.Empty(idle.Sweep(["ZZQX"], Nobody, 3 * Hour - 1));
        Assert.Equal(["ZZQX"], idle.Sweep(["ZZQX"], Nobody, 3 * Hour));
    }
}
