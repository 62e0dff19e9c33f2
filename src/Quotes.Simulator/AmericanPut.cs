namespace Quotes.Simulator;

/// <summary>
/// The American put on a stock paying no dividend, by Barone-Adesi and Whaley's quadratic approximation (1987): above the
/// critical price S* the European put plus the early-exercise premium A·(S/S*)^q, at or below it exercised, K − S; never
/// below intrinsic value. (With no dividend an American call is never exercised early: it is the European call of
/// <see cref="BlackScholes"/>. With a rate of 0 or less neither is the put: it is then the European put.) Greeks as
/// <see cref="BlackScholes"/> reports them: delta and gamma in closed form, theta (per calendar day) and vega (per vol
/// point) by central differences of the approximation's price, which is smooth in T and σ. Pure.
/// </summary>
public static class AmericanPut
{
    /// <summary>
    /// S* is solved to this relative precision, so that differences of the price (theta, vega) stay exact; finer is below
    /// the noise of a short expiry's Newton step (about 1e-13), where it took all the iterations.
    /// </summary>
    private const double Tolerance = 1e-12;

    /// <summary>The relative step of the central differences in T and σ.</summary>
    private const double Step = 1e-4;

    /// <inheritdoc cref="BlackScholes.Of"/>
    public static BlackScholes.Value Of(double spot, double strike, double years, double rate, double volatility)
    {
        var european = BlackScholes.Of(false, spot, strike, years, rate, volatility);
        if (rate <= 0) return european;

        var (critical, q, a) = Boundary(strike, years, rate, volatility);
        if (spot <= critical) return new BlackScholes.Value(strike - spot, -1, 0, 0, 0);

        var premium = a * Math.Pow(spot / critical, q);
        var price = Math.Max(european.Price + premium, strike - spot);
        var delta = european.Delta + q * premium / spot;
        var gamma = european.Gamma + q * (q - 1) * premium / (spot * spot);
        var dt = years * Step;
        var dv = volatility * Step;
        var theta = -(PriceOf(spot, strike, years + dt, rate, volatility) - PriceOf(spot, strike, years - dt, rate, volatility)) / (2 * dt) / 365;
        var vega = (PriceOf(spot, strike, years, rate, volatility + dv) - PriceOf(spot, strike, years, rate, volatility - dv)) / (2 * dv) / 100;
        return new BlackScholes.Value(price, Math.Max(delta, -1), gamma, theta, vega);
    }

    /// <summary>The price alone.</summary>
    public static double PriceOf(double spot, double strike, double years, double rate, double volatility)
    {
        var european = BlackScholes.Of(false, spot, strike, years, rate, volatility).Price;
        if (rate <= 0) return european;
        var (critical, q, a) = Boundary(strike, years, rate, volatility);
        return spot <= critical ? strike - spot : Math.Max(european + a * Math.Pow(spot / critical, q), strike - spot);
    }

    /// <summary>
    /// The critical price S* below which the put is exercised, the exponent q (&lt; 0) and the premium's coefficient A (&gt; 0).
    /// S* solves K − S = P(S) + N(d1(S))·S/|q| by Newton's method from Haug's seed (The Complete Guide to Option Pricing
    /// Formulas, 2007, §3.3.2), to <see cref="Tolerance"/>.
    /// </summary>
    public static (double Critical, double Q, double A) Boundary(double strike, double years, double rate, double volatility)
    {
        var variance = volatility * volatility;
        var n = 2 * rate / variance;
        var rt = rate * years;
        var k = rt < 1e-5 ? rt * (1 - rt / 2 + rt * rt / 6) : 1 - Math.Exp(-rt); // 1 − e^{−rT}, exact for a short T
        var q = (-(n - 1) - Math.Sqrt((n - 1) * (n - 1) + 4 * n / k)) / 2;

        var qInfinite = (-(n - 1) - Math.Sqrt((n - 1) * (n - 1) + 4 * n)) / 2;
        var sInfinite = strike / (1 - 1 / qInfinite);
        var sqrtT = Math.Sqrt(years);
        var s = sInfinite + (strike - sInfinite) * Math.Exp((rt - 2 * volatility * sqrtT) * strike / (strike - sInfinite));

        for (var i = 0; i < 200; i++)
        {
            var d1 = (Math.Log(s / strike) + (rate + variance / 2) * years) / (volatility * sqrtT);
            var nd1 = BlackScholes.Cdf(d1);
            var g = strike - s - BlackScholes.Of(false, s, strike, years, rate, volatility).Price + nd1 * s / q;
            var slope = -nd1 + (nd1 + BlackScholes.Density(d1) / (volatility * sqrtT)) / q;
            var next = Math.Max(s - g / slope, s / 2);
            var done = Math.Abs(next - s) <= Tolerance * s;
            s = next;
            if (done) break;
        }
        var dAt = (Math.Log(s / strike) + (rate + variance / 2) * years) / (volatility * sqrtT);
        return (s, q, -s / q * BlackScholes.Cdf(dAt));
    }
}
