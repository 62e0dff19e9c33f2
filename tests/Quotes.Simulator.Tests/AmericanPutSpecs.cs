using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// The American put (Barone-Adesi–Whaley) against a Cox–Ross–Rubinstein tree of 4,000 steps computed here: the quadratic
/// approximation is known to stay within a fraction of a per cent of the strike for maturities up to a few years.
/// </summary>
public sealed class AmericanPutSpecs
{
    /// <summary>The American put by a CRR binomial tree, exercised at each node where that is worth more.</summary>
    private static double Tree(double spot, double strike, double years, double rate, double volatility, int steps = 4000)
    {
        var dt = years / steps;
        var up = Math.Exp(volatility * Math.Sqrt(dt));
        var p = (Math.Exp(rate * dt) - 1 / up) / (up - 1 / up);
        var discount = Math.Exp(-rate * dt);
        var values = new double[steps + 1];
        for (var i = 0; i <= steps; i++) values[i] = Math.Max(strike - spot * Math.Pow(up, steps - 2 * i), 0);
        for (var j = steps - 1; j >= 0; j--)
            for (var i = 0; i <= j; i++)
                values[i] = Math.Max(discount * (p * values[i] + (1 - p) * values[i + 1]), strike - spot * Math.Pow(up, j - 2 * i));
        return values[0];
    }

    [Theory]
    [InlineData(100, 100, 0.25, 0.04, 0.30)]
    [InlineData(90, 100, 0.5, 0.08, 0.20)]
    [InlineData(110, 100, 0.5, 0.08, 0.20)]
    [InlineData(80, 100, 1, 0.04, 0.25)]
    [InlineData(100, 100, 1, 0.10, 0.30)]
    [InlineData(100, 100, 3, 0.08, 0.20)]
    [InlineData(100, 100, 0.02, 0.04, 0.50)]
    [InlineData(271.2, 320, 1.1, 0.04, 0.29)]
    public void The_price_is_within_0_15_percent_of_the_strike_of_a_4000_step_binomial_tree(double spot, double strike, double years, double rate, double volatility)
    {
        var baw = AmericanPut.Of(spot, strike, years, rate, volatility).Price;
        var tree = Tree(spot, strike, years, rate, volatility);

        Assert.True(Math.Abs(baw - tree) <= 0.0015 * strike, $"BAW {baw} vs tree {tree}");
        Assert.True(baw >= BlackScholes.Of(false, spot, strike, years, rate, volatility).Price, "worth at least the European put");
    }

    [Fact]
    public void It_is_never_worth_less_than_exercising_it_now()
    {
        // Found in an audit: O:AAPL270115P00320000 with AAPL at 271.20 was asked at 48.13, below its intrinsic 48.80 (priced European).
        foreach (var years in new[] { 1 / 365.0 / 1440, 1 / 365.0, 0.1, 1.1, 3 })
            foreach (var volatility in new[] { 0.1, 0.3, 0.8 })
                for (var spot = 40.0; spot <= 160; spot += 2.5)
                {
                    var put = AmericanPut.Of(spot, 100, years, 0.04, volatility);
                    Assert.True(put.Price >= Math.Max(100 - spot, 0), $"S {spot} T {years} σ {volatility}: {put.Price}");
                    Assert.InRange(put.Delta, -1, 0);
                    Assert.True(put.Gamma >= 0 && put.Vega >= 0 && put.Theta <= 1e-12, $"S {spot} T {years} σ {volatility}: {put}");
                }
        Assert.True(AmericanPut.Of(271.2, 320, 1.1, 0.04, 0.29).Price >= 48.80);
    }

    [Fact]
    public void Deep_in_the_money_it_is_exercised_worth_its_intrinsic_value_with_a_delta_of_minus_one()
    {
        var (critical, _, _) = AmericanPut.Boundary(100, 0.5, 0.05, 0.25);
        var deep = AmericanPut.Of(critical - 1, 100, 0.5, 0.05, 0.25);

        Assert.InRange(critical, 50, 100);
        Assert.Equal(new BlackScholes.Value(100 - (critical - 1), -1, 0, 0, 0), deep);
        // Smooth pasting: at S* the price meets K − S with a slope of −1.
        Assert.Equal(100 - critical, AmericanPut.PriceOf(critical * (1 + 1e-9), 100, 0.5, 0.05, 0.25), 6);
        Assert.Equal(-1, AmericanPut.Of(critical * (1 + 1e-9), 100, 0.5, 0.05, 0.25).Delta, 6);
    }

    [Theory]
    [InlineData(100, 100, 0.5, 0.3)]
    [InlineData(80, 100, 1, 0.2)]
    public void At_a_zero_rate_it_is_the_European_put(double spot, double strike, double years, double volatility) =>
        Assert.Equal(BlackScholes.Of(false, spot, strike, years, 0, volatility), AmericanPut.Of(spot, strike, years, 0, volatility));

    [Theory]
    [InlineData(100, 100, 0.25, 0.04, 0.30)]
    [InlineData(92, 100, 0.5, 0.08, 0.20)]
    [InlineData(271.2, 300, 1.1, 0.04, 0.29)]
    [InlineData(100, 100, 0.0002, 0.04, 0.60)] // under two hours
    public void Greeks_are_the_prices_derivatives_with_theta_per_day_and_vega_per_vol_point(double spot, double strike, double years, double rate, double volatility)
    {
        double P(double s, double t, double v) => AmericanPut.PriceOf(s, strike, t, rate, v);
        var put = AmericanPut.Of(spot, strike, years, rate, volatility);
        var h = spot * 1e-4;
        var dt = years * 1e-2;

        Assert.Equal(P(spot, years, volatility), put.Price, 12);
        Assert.Equal((P(spot + h, years, volatility) - P(spot - h, years, volatility)) / (2 * h), put.Delta, 5);
        Assert.Equal((P(spot + h, years, volatility) - 2 * put.Price + P(spot - h, years, volatility)) / (h * h), put.Gamma, 1e-3 * put.Gamma + 1e-9);
        Assert.Equal(-(P(spot, years + dt, volatility) - P(spot, years - dt, volatility)) / (2 * dt) / 365, put.Theta, 1e-3 * Math.Abs(put.Theta) + 1e-12);
        Assert.Equal((P(spot, years, volatility + 0.001) - P(spot, years, volatility - 0.001)) / 0.002 / 100, put.Vega, 1e-3 * put.Vega + 1e-12);
        Assert.True(put.Theta < 0, $"theta {put.Theta}");
    }
}
