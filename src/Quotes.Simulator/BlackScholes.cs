namespace Quotes.Simulator;

/// <summary>
/// Black–Scholes prices and Greeks of a European option on a stock paying no dividend. Greeks are reported as Polygon
/// reports them: theta per calendar day, vega per one point of volatility (0.01), delta and gamma per dollar of the
/// underlying. Pure.
/// </summary>
public static class BlackScholes
{
    /// <summary>A model value: price and Greeks.</summary>
    public readonly record struct Value(double Price, double Delta, double Gamma, double Theta, double Vega);

    /// <param name="isCall">a call, else a put</param>
    /// <param name="spot">the underlying's price</param>
    /// <param name="strike">the strike</param>
    /// <param name="years">time to expiry in years (365-day), greater than 0</param>
    /// <param name="rate">the risk-free rate, continuously compounded (0.04 is 4 %)</param>
    /// <param name="volatility">annual volatility (0.2 is 20 %), greater than 0</param>
    public static Value Of(bool isCall, double spot, double strike, double years, double rate, double volatility)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strike);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(years);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(volatility);

        var sqrtT = Math.Sqrt(years);
        var d1 = (Math.Log(spot / strike) + (rate + volatility * volatility / 2) * years) / (volatility * sqrtT);
        var d2 = d1 - volatility * sqrtT;
        var discount = Math.Exp(-rate * years);
        var density = Density(d1);
        var gamma = density / (spot * volatility * sqrtT);
        var vega = spot * density * sqrtT / 100;
        var decay = -spot * density * volatility / (2 * sqrtT);

        return isCall
            ? new Value(spot * Cdf(d1) - strike * discount * Cdf(d2), Cdf(d1), gamma, (decay - rate * strike * discount * Cdf(d2)) / 365, vega)
            : new Value(strike * discount * Cdf(-d2) - spot * Cdf(-d1), Cdf(d1) - 1, gamma, (decay + rate * strike * discount * Cdf(-d2)) / 365, vega);
    }

    /// <summary>The standard normal density.</summary>
    public static double Density(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    /// <summary>The standard normal distribution function, to double precision (Hart's algorithm 5666, as given by West, 2005).</summary>
    public static double Cdf(double x)
    {
        var z = Math.Abs(x);
        double tail;
        if (z > 37)
        {
            tail = 0;
        }
        else if (z < 7.07106781186547)
        {
            var e = Math.Exp(-z * z / 2);
            var n = ((((((0.0352624965998911 * z + 0.700383064443688) * z + 6.37396220353165) * z + 33.912866078383) * z + 112.079291497871) * z
                      + 221.213596169931) * z + 220.206867912376);
            var d = (((((((0.0883883476483184 * z + 1.75566716318264) * z + 16.064177579207) * z + 86.7807322029461) * z + 296.564248779674) * z
                       + 637.333633378831) * z + 793.826512519948) * z + 440.413735824752);
            tail = e * n / d;
        }
        else
        {
            var e = Math.Exp(-z * z / 2);
            var b = z + 1 / (z + 2 / (z + 3 / (z + 4 / (z + 0.65))));
            tail = e / b / 2.506628274631;
        }
        return x > 0 ? 1 - tail : tail;
    }
}
