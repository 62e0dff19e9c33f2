using System.Globalization;

namespace Quotes.Simulator;

/// <summary>A deterministic option chain around a price: weekly and monthly expiries, strikes spaced as listed exchanges do.</summary>
public static class OptionChain
{
    public sealed record Contract(string Ticker, string Type, DateOnly Expiry, decimal Strike);

    public static IEnumerable<Contract> For(string underlying, decimal price, DateOnly today)
    {
        var step = price switch { < 25m => 0.5m, < 100m => 1m, < 250m => 2.5m, _ => 5m };
        var atm = Math.Round(price / step) * step;
        var strikes = Enumerable.Range(-10, 21).Select(i => atm + i * step).Where(s => s > 0).ToList();
        foreach (var expiry in Expiries(today))
            foreach (var strike in strikes)
                foreach (var type in new[] { "call", "put" })
                    yield return new Contract(TickerOf(underlying, expiry, type, strike), type, expiry, strike);
    }

    /// <summary>The next four Fridays and the third Friday of the next three months.</summary>
    private static IEnumerable<DateOnly> Expiries(DateOnly today)
    {
        var friday = today.AddDays(((int)DayOfWeek.Friday - (int)today.DayOfWeek + 7) % 7);
        if (friday == today) friday = friday.AddDays(7);
        var weeklies = Enumerable.Range(0, 4).Select(i => friday.AddDays(7 * i));
        var monthlies = Enumerable.Range(1, 3).Select(i =>
        {
            var first = new DateOnly(today.Year, today.Month, 1).AddMonths(i);
            return first.AddDays(((int)DayOfWeek.Friday - (int)first.DayOfWeek + 7) % 7 + 14);
        });
        return weeklies.Concat(monthlies).Distinct().Order();
    }

    /// <summary>OCC symbology: <c>O:AAPL251219C00085000</c>, strike × 1000 in eight digits.</summary>
    public static string TickerOf(string underlying, DateOnly expiry, string type, decimal strike) =>
        $"O:{underlying.Replace(".", "")}{expiry.ToString("yyMMdd", CultureInfo.InvariantCulture)}{(type == "call" ? 'C' : 'P')}{(long)(strike * 1000):D8}";
}
