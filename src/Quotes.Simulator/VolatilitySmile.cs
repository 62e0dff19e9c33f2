namespace Quotes.Simulator;

/// <summary>
/// Implied volatility across strikes: lowest at the money, rising away from it on both sides, more steeply below the
/// money (the equity skew: puts on a fall cost more). Moneyness is scaled by the square root of time, so a short expiry's
/// smile is steeper in strike than a long one's. Pure.
/// </summary>
public static class VolatilitySmile
{
    private const double Curvature = 0.5;
    private const double DownsideCurvature = 0.3;
    private const double MaxMultiple = 4;

    /// <summary>Trading days in a year, to turn a daily volatility into an annual one.</summary>
    public const double TradingDays = 252;

    /// <summary>The implied volatility at <paramref name="strike"/>, given the at-the-money annual volatility.</summary>
    public static double At(double atmVolatility, double spot, double strike, double years)
    {
        var m = Math.Log(strike / spot) / Math.Sqrt(Math.Max(years, 7 / 365.0));
        var multiple = 1 + Curvature * m * m + (m < 0 ? DownsideCurvature * m * m : 0);
        return atmVolatility * Math.Min(multiple, MaxMultiple);
    }

    /// <summary>The annual at-the-money volatility of an underlying that moves <paramref name="dailyVolatility"/> a day.</summary>
    public static double Annual(double dailyVolatility) => dailyVolatility * Math.Sqrt(TradingDays);
}
