namespace Quotes.Simulator;

/// <summary>
/// Implied volatility across strikes and expiries, by Gatheral and Jacquier's SSVI surface ("Arbitrage-free SVI volatility
/// surfaces", 2014): the total implied variance at log-moneyness k = ln(K/F) (F the forward) is
/// w(k, θ) = θ/2 · (1 + ρφk + √((φk + ρ)² + 1 − ρ²)), θ = σ_atm²·T the at-the-money total variance, with the power-law
/// curvature φ(θ) = η / (θ^γ (1 + θ)^(1−γ)). With γ = ½ and η(1 + |ρ|) ≤ 2 the surface is free of static arbitrage: call
/// prices fall and are convex in strike on every expiry (no butterfly), and at a fixed k total variance grows with the
/// expiry (no calendar spread). ρ &lt; 0 gives the equity skew: puts below the money carry the higher volatility. Pure.
/// </summary>
public static class VolatilitySmile
{
    /// <summary>The skew: the correlation of the smile's two wings, negative as equity skews are.</summary>
    public const double Rho = -0.4;

    /// <summary>The curvature's level: η(1 + |ρ|) = 1.4, within Gatheral–Jacquier's bound of 2.</summary>
    public const double Eta = 1.0;

    /// <summary>The curvature's power: φ falls as 1/√θ, so a short expiry's smile is steeper in k than a long one's.</summary>
    public const double Gamma = 0.5;

    /// <summary>Trading days in a year, to turn a daily volatility into an annual one.</summary>
    public const double TradingDays = 252;

    /// <summary>
    /// The implied volatility at <paramref name="strike"/>, given the at-the-money (at the forward) annual volatility, the
    /// forward <paramref name="forward"/> (S·e^{rT}) and the time to expiry in years: √(w/T).
    /// </summary>
    public static double At(double atmVolatility, double forward, double strike, double years) =>
        Math.Sqrt(TotalVariance(Math.Log(strike / forward), atmVolatility * atmVolatility * years) / years);

    /// <summary>SSVI's total implied variance w(k, θ) at log-moneyness <paramref name="k"/> and at-the-money total variance <paramref name="theta"/>.</summary>
    public static double TotalVariance(double k, double theta)
    {
        var phi = Eta / (Math.Pow(theta, Gamma) * Math.Pow(1 + theta, 1 - Gamma));
        var x = phi * k + Rho;
        return theta / 2 * (1 + Rho * phi * k + Math.Sqrt(x * x + 1 - Rho * Rho));
    }

    /// <summary>The annual at-the-money volatility of an underlying that moves <paramref name="dailyVolatility"/> a day.</summary>
    public static double Annual(double dailyVolatility) => dailyVolatility * Math.Sqrt(TradingDays);
}
