using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The simulator's option model against textbook values (Hull; S=100, K=100, T=1, r=5 %, σ=20 %).</summary>
public sealed class BlackScholesSpecs
{
    private static readonly BlackScholes.Value Call = BlackScholes.Of(isCall: true, spot: 100, strike: 100, years: 1, rate: 0.05, volatility: 0.2);
    private static readonly BlackScholes.Value Put = BlackScholes.Of(isCall: false, spot: 100, strike: 100, years: 1, rate: 0.05, volatility: 0.2);

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1.96, 0.9750021048517795)]
    [InlineData(-1, 0.15865525393145707)]
    [InlineData(3.5, 0.9997673709209645)]
    [InlineData(-8, 6.22096057427178e-16)]
    public void The_normal_distribution_is_exact_to_double_precision(double x, double expected) =>
        Assert.Equal(expected, BlackScholes.Cdf(x), 1e-14);

    [Fact]
    public void Prices_match_the_textbook()
    {
        Assert.Equal(10.4506, Call.Price, 4);
        Assert.Equal(5.5735, Put.Price, 4);
    }

    [Fact]
    public void Greeks_match_the_textbook_with_theta_per_day_and_vega_per_vol_point()
    {
        Assert.Equal(0.6368, Call.Delta, 4);
        Assert.Equal(-0.3632, Put.Delta, 4);
        Assert.Equal(0.018762, Call.Gamma, 6);
        Assert.Equal(Call.Gamma, Put.Gamma, 12);
        Assert.Equal(0.37524, Call.Vega, 5);
        Assert.Equal(Call.Vega, Put.Vega, 12);
        Assert.Equal(-6.4140 / 365, Call.Theta, 6);
        Assert.Equal(-1.6579 / 365, Put.Theta, 6);
    }

    [Theory]
    [InlineData(100, 100, 1, 0.05, 0.2)]
    [InlineData(280, 250, 0.05, 0.04, 0.35)]
    [InlineData(45, 60, 0.5, 0.03, 0.6)]
    public void Calls_and_puts_keep_put_call_parity(double spot, double strike, double years, double rate, double volatility)
    {
        var call = BlackScholes.Of(true, spot, strike, years, rate, volatility);
        var put = BlackScholes.Of(false, spot, strike, years, rate, volatility);

        Assert.Equal(spot - strike * Math.Exp(-rate * years), call.Price - put.Price, 9);
        Assert.Equal(1, call.Delta - put.Delta, 12);
        Assert.InRange(call.Delta, 0, 1);
        Assert.InRange(put.Delta, -1, 0);
    }

    [Fact]
    public void Nonsense_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Of(true, 100, 100, 0, 0.05, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Of(true, 100, 100, 1, 0.05, 0));
    }
}
