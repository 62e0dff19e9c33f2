namespace Quotes.Simulator;

/// <summary>
/// One contract's market as the simulator quotes it: the model value at the underlying's price and its smile volatility
/// (<see cref="VolatilitySmile"/>; calls by Black–Scholes, puts American by <see cref="AmericanPut"/>, no dividend), a bid and
/// ask around it (so put–call parity's bounds hold within the spread), the day's bar from the model at the underlying's open
/// and at the previous close, and open interest highest near the money. Pure and deterministic.
/// </summary>
public sealed record OptionQuote(
    OptionChain.Contract Contract,
    double ImpliedVolatility,
    BlackScholes.Value Model,
    decimal Bid,
    decimal Ask,
    decimal Last,
    decimal DayOpen,
    decimal DayHigh,
    decimal DayLow,
    decimal PreviousClose,
    long OpenInterest,
    long Volume)
{
    /// <summary>The risk-free rate the simulator prices with.</summary>
    public const double RiskFreeRate = 0.04;

    /// <summary>The least time to expiry a contract is priced with, so that its Greeks stay finite until its close.</summary>
    public static readonly TimeSpan MinimumTime = TimeSpan.FromMinutes(1);

    public decimal Midpoint => (Bid + Ask) / 2;

    /// <summary>Where the holder breaks even at expiry: the strike plus (call) or minus (put) the premium paid, the midpoint.</summary>
    public decimal BreakEven => Contract.Type == "call" ? Contract.Strike + Midpoint : Contract.Strike - Midpoint;

    /// <summary>The underlying's state the chain is priced from.</summary>
    public readonly record struct Underlying(decimal Price, decimal Open, decimal PreviousClose, double DailyVolatility);

    public static OptionQuote Of(OptionChain.Contract contract, Underlying underlying, DateTimeOffset now)
    {
        var atm = VolatilitySmile.Annual(underlying.DailyVolatility);
        var years = YearsTo(contract.Expiry, now);
        var (iv, model) = Value(contract, (double)underlying.Price, years, atm);

        // Half the spread: a cent and a half on the cheapest, one per cent of the price, at most 25 cents; bid and ask
        // rounded outwards to cents, so a cheaper contract's bid is never above a dearer one's ask.
        var half = Math.Min(0.25, 0.005 + 0.01 * model.Price);
        var bid = Math.Max(0m, Math.Floor((decimal)(model.Price - half) * 100) / 100);
        var ask = Math.Ceiling((decimal)(model.Price + half) * 100) / 100;
        var last = Math.Clamp(Math.Round((decimal)model.Price, 2), bid, ask);

        var open = Cents(PriceAt(contract, (double)underlying.Open, years, atm));
        var previous = Cents(PriceAt(contract, (double)underlying.PreviousClose, YearsTo(contract.Expiry, PreviousCloseBefore(now)), atm));

        var openInterest = OpenInterestOf(contract, underlying.PreviousClose, now);
        var volume = (long)(openInterest * (0.05 + 0.25 * Jitter(contract.Ticker, 1)));
        return new OptionQuote(contract, iv, model, bid, ask, last, open, Math.Max(open, last), Math.Min(open, last), previous, openInterest, volume);
    }

    /// <summary>
    /// The smile's volatility at the contract's strike and the model's value at <paramref name="spot"/>, <paramref name="years"/>
    /// from expiry: the European call (Black–Scholes; with no dividend it is never exercised early) or the American put.
    /// </summary>
    public static (double Volatility, BlackScholes.Value Model) Value(OptionChain.Contract contract, double spot, double years, double atmVolatility)
    {
        var (strike, iv) = ((double)contract.Strike, SmileAt(contract, spot, years, atmVolatility));
        return (iv, contract.Type == "call"
            ? BlackScholes.Of(true, spot, strike, years, RiskFreeRate, iv)
            : AmericanPut.Of(spot, strike, years, RiskFreeRate, iv));
    }

    /// <summary>The model's price alone (the day's open, the previous close): no Greeks, so the put's differences are not taken.</summary>
    private static double PriceAt(OptionChain.Contract contract, double spot, double years, double atmVolatility)
    {
        var (strike, iv) = ((double)contract.Strike, SmileAt(contract, spot, years, atmVolatility));
        return contract.Type == "call"
            ? BlackScholes.Of(true, spot, strike, years, RiskFreeRate, iv).Price
            : AmericanPut.PriceOf(spot, strike, years, RiskFreeRate, iv);
    }

    /// <summary>The smile's volatility at the contract's strike, around the forward at <paramref name="spot"/>.</summary>
    private static double SmileAt(OptionChain.Contract contract, double spot, double years, double atmVolatility) =>
        VolatilitySmile.At(atmVolatility, spot * Math.Exp(RiskFreeRate * years), (double)contract.Strike, years);

    /// <summary>
    /// Years (365 days) from <paramref name="now"/> to the expiry's close (<see cref="OptionChain.ExpiresAt"/>: 16:00 New York,
    /// 13:00 on an early-close day); at least <see cref="MinimumTime"/>.
    /// </summary>
    public static double YearsTo(DateOnly expiry, DateTimeOffset now) =>
        Math.Max((OptionChain.ExpiresAt(expiry) - now).TotalDays, MinimumTime.TotalDays) / 365;

    /// <summary>The close of the last trading day before <paramref name="now"/>'s day in New York: when the previous close was.</summary>
    private static DateTimeOffset PreviousCloseBefore(DateTimeOffset now) =>
        OptionChain.ExpiresAt(MarketCalendar.PreviousTradingDay(DateOnly.FromDateTime(MarketCalendar.ToNewYork(now))));

    /// <summary>
    /// Contracts open on the day: most at the money, falling off with distance from the previous close, fixed for the day;
    /// more on monthly expiries and on near ones; each contract a little different.
    /// </summary>
    public static long OpenInterestOf(OptionChain.Contract contract, decimal previousClose, DateTimeOffset now)
    {
        var distance = Math.Log((double)contract.Strike / (double)previousClose) / 0.08;
        var monthly = contract.Expiry.Day is >= 15 and <= 21 ? 2.0 : 1.0;
        var days = contract.Expiry.DayNumber - DateOnly.FromDateTime(MarketCalendar.ToNewYork(now)).DayNumber;
        var nearness = 1 / (1 + Math.Max(0, days) / 365.0 * 4);
        return (long)Math.Round(200 + 20_000 * monthly * nearness * Math.Exp(-distance * distance) * (0.8 + 0.4 * Jitter(contract.Ticker, 0)));
    }

    private static decimal Cents(double price) => Math.Max(0m, Math.Round((decimal)price, 2));

    /// <summary>A number in [0, 1) fixed by the ticker and a salt (FNV-1a), the same in every process.</summary>
    private static double Jitter(string ticker, uint salt)
    {
        var hash = 2166136261u ^ salt;
        foreach (var c in ticker) hash = unchecked((hash ^ c) * 16777619u);
        return hash / (double)uint.MaxValue;
    }
}
