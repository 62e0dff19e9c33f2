namespace Quotes.Simulator;

/// <summary>
/// A deterministic option chain around a price: weekly expiries for the next four weeks and monthly ones (the third
/// Friday) for the next six months, strikes spaced as listed exchanges do. Ordered by ticker, as Polygon lists it: by
/// expiry, then calls before puts, then strike, so a large chain's later expiries come only on later pages.
/// </summary>
public static class OptionChain
{
    public sealed record Contract(string Underlying, string Ticker, string Type, DateOnly Expiry, decimal Strike);

    /// <summary>Strikes on each side of the money.</summary>
    public const int StrikesEachSide = 10;

    /// <summary>The first strike OCC symbology cannot write (<see cref="TickerOf"/>).</summary>
    private const decimal MaxStrike = 100_000m;

    /// <summary>
    /// The contracts listed on <paramref name="underlying"/> and not expired at <paramref name="now"/>, strikes around
    /// <paramref name="price"/> (the previous close: listed strikes do not move during the day).
    /// </summary>
    public static IEnumerable<Contract> For(string underlying, decimal price, DateTimeOffset now)
    {
        var step = StrikeStep(price);
        var atm = Math.Round(price / step) * step;
        // OCC symbology has room for strikes below 100,000 (eight digits of thousandths): above, nothing is listed (BRK.A).
        var strikes = Enumerable.Range(-StrikesEachSide, 2 * StrikesEachSide + 1).Select(i => atm + i * step).Where(s => s is > 0 and < MaxStrike).ToList();
        foreach (var expiry in Expiries(now))
            foreach (var type in new[] { "call", "put" })
                foreach (var strike in strikes)
                    yield return new Contract(underlying, TickerOf(underlying, expiry, type, strike), type, expiry, strike);
    }

    /// <summary>The spacing of listed strikes at <paramref name="price"/>.</summary>
    public static decimal StrikeStep(decimal price) => price switch { < 25m => 0.5m, < 100m => 1m, < 250m => 2.5m, < 1000m => 5m, _ => 10m };

    /// <summary>
    /// The expiries live at <paramref name="now"/>: four weekly Fridays from this week's (New York) and the third Friday of the
    /// next six months, ascending; one that falls on a market holiday expires on the trading day before, as listed options do
    /// (Good Friday, a Christmas or Juneteenth Friday). An expiry that is today is listed until its close
    /// (<see cref="ExpiresAt"/>: 0DTE contracts trade until then), and not after.
    /// </summary>
    public static IEnumerable<DateOnly> Expiries(DateTimeOffset now) =>
        Fridays(DateOnly.FromDateTime(MarketCalendar.ToNewYork(now))).Select(TradingDayOnOrBefore).Where(d => ExpiresAt(d) > now).Distinct().Order();

    /// <summary>When contracts of <paramref name="expiry"/> expire: the day's close, 16:00 New York, or 13:00 on an early-close day.</summary>
    public static DateTimeOffset ExpiresAt(DateOnly expiry) => MarketCalendar.FromNewYork(expiry.ToDateTime(TimeOnly.FromTimeSpan(MarketCalendar.CloseOf(expiry))));

    private static DateOnly TradingDayOnOrBefore(DateOnly day) => MarketCalendar.IsTradingDay(day) ? day : MarketCalendar.PreviousTradingDay(day);

    private static IEnumerable<DateOnly> Fridays(DateOnly today)
    {
        var friday = today.AddDays(((int)DayOfWeek.Friday - (int)today.DayOfWeek + 7) % 7); // today on a Friday
        var weeklies = Enumerable.Range(0, 4).Select(i => friday.AddDays(7 * i));
        var monthlies = Enumerable.Range(1, 6).Select(i =>
        {
            var first = new DateOnly(today.Year, today.Month, 1).AddMonths(i);
            return first.AddDays(((int)DayOfWeek.Friday - (int)first.DayOfWeek + 7) % 7 + 14);
        });
        return weeklies.Concat(monthlies);
    }

    /// <summary>OCC symbology: <c>O:AAPL251219C00085000</c>, strike × 1000 in eight digits.</summary>
    public static string TickerOf(string underlying, DateOnly expiry, string type, decimal strike) =>
        $"O:{underlying.Replace(".", "")}{expiry.ToString("yyMMdd", CultureInfo.InvariantCulture)}{(type == "call" ? 'C' : 'P')}{(long)(strike * 1000):D8}";
}
