namespace Quotes.Simulator;

/// <summary>
/// Deterministic history for a symbol, consistent with its live walk: the last session's daily close is the walk's
/// previous close, earlier closes step back from it by moves of the symbol's daily volatility, intraday bars bridge each
/// session's open to its close with the session's U-shaped volume, and today's daily bar is the walk's live state. Same
/// seed and symbol, same history, in every process.
/// </summary>
public sealed class PriceHistory(PriceWalk walk, int seed)
{
    public sealed record Bar(long Time, decimal Open, decimal High, decimal Low, decimal Close, long Volume, decimal Vwap, long Transactions);

    private const int MaxSessions = 5 * 260;
    private readonly Dictionary<DateOnly, decimal> _closes = new();

    /// <summary>Bars of <paramref name="multiplier"/> × <paramref name="timespan"/> from <paramref name="from"/> to <paramref name="to"/>, ascending.</summary>
    public IEnumerable<Bar> Range(string timespan, int multiplier, DateOnly from, DateOnly to, DateOnly today)
    {
        var days = Sessions(from, to, today).ToList();
        return timespan switch
        {
            "minute" => days.SelectMany(d => OnClock(Minutes(d, today), multiplier * 60_000L)),
            "hour" => days.SelectMany(d => OnClock(Minutes(d, today), multiplier * 3_600_000L)),
            "day" => Group(days.Select(d => Daily(d, today)), multiplier),
            "week" => days.Select(d => Daily(d, today)).GroupBy(b => WeekOf(b.Time)).SelectMany(g => Group(g, g.Count())).Chunk(multiplier).Select(Merge),
            "month" => days.Select(d => Daily(d, today)).GroupBy(b => MonthOf(b.Time)).SelectMany(g => Group(g, g.Count())).Chunk(multiplier).Select(Merge),
            _ => [],
        };
    }

    private IEnumerable<DateOnly> Sessions(DateOnly from, DateOnly to, DateOnly today)
    {
        var last = to > today ? today : to;
        var first = from < today.AddDays(-MaxSessions * 7 / 5) ? today.AddDays(-MaxSessions * 7 / 5) : from;
        for (var d = first; d <= last; d = d.AddDays(1))
            if (MarketCalendar.IsTradingDay(d)) yield return d;
    }

    private decimal CloseOf(DateOnly day, DateOnly today)
    {
        var lastSession = MarketCalendar.PreviousTradingDay(today);
        if (day >= today) return walk.Price;
        if (day >= lastSession) return walk.PreviousClose;
        lock (_closes)
        {
            if (_closes.TryGetValue(day, out var cached)) return cached;
            // Step back from the last session: each earlier close undoes that session's move.
            var close = walk.PreviousClose;
            for (var d = lastSession; d > day; d = MarketCalendar.PreviousTradingDay(d))
                close = Math.Max(0.5m, Math.Round(close / (1m + Move(d)), 2));
            _closes[day] = close;
            return close;
        }
    }

    private Bar Daily(DateOnly day, DateOnly today)
    {
        var time = SessionStartMs(day);
        if (day >= today)
        {
            var live = walk.Day;
            return new Bar(time, walk.Open, live.High, live.Low, live.Price, live.Volume, live.Vwap, Math.Max(1, live.Volume / 100));
        }
        var random = RandomFor(day);
        var close = CloseOf(day, today);
        var open = Math.Round(close / (1m + Move(day)) * (1m + (decimal)(random.NextDouble() - 0.5) * 0.004m), 2);
        var high = Math.Round(Math.Max(open, close) * (1m + (decimal)random.NextDouble() * 0.01m), 2);
        var low = Math.Round(Math.Min(open, close) * (1m - (decimal)random.NextDouble() * 0.01m), 2);
        var volume = (long)(walk.DailyVolume * (0.6 + 0.8 * random.NextDouble()));
        return new Bar(time, open, high, low, close, volume, Math.Round((open + high + low + close) / 4m, 4), volume / 120);
    }

    /// <summary>One bar per minute of the regular session, a Brownian bridge from the day's open to its close.</summary>
    private IEnumerable<Bar> Minutes(DateOnly day, DateOnly today)
    {
        var daily = Daily(day, today);
        var minutes = (int)(MarketCalendar.CloseOf(day) - new TimeSpan(9, 30, 0)).TotalMinutes;
        if (day >= today)
        {
            var now = MarketCalendar.ToNewYork(DateTimeOffset.UtcNow).TimeOfDay - new TimeSpan(9, 30, 0);
            minutes = Math.Clamp((int)now.TotalMinutes, 0, minutes);
        }
        var random = RandomFor(day, salt: 7);
        var start = SessionStartMs(day);
        var price = daily.Open;
        for (var i = 0; i < minutes; i++)
        {
            var left = minutes - i;
            var drift = (daily.Close - price) / left;
            var next = Math.Max(0.01m, Math.Round(price + drift + price * (decimal)(random.NextDouble() - 0.5) * 0.002m, 2));
            if (i == minutes - 1) next = daily.Close;
            var high = Math.Round(Math.Max(price, next) * (1m + (decimal)random.NextDouble() * 0.0005m), 2);
            var low = Math.Round(Math.Min(price, next) * (1m - (decimal)random.NextDouble() * 0.0005m), 2);
            var expected = IntradayVolume.Expected(daily.Volume, IntradayVolume.SessionOpen + TimeSpan.FromMinutes(i + 0.5), TimeSpan.FromMinutes(1));
            var volume = Math.Max(100L, (long)Math.Round(expected * (0.7 + 0.6 * random.NextDouble())));
            yield return new Bar(start + i * 60_000L, price, high, low, next, volume, Math.Round((price + next) / 2m, 4), volume / 100 + 1);
            price = next;
        }
    }

    /// <summary>
    /// Minute bars merged into windows of <paramref name="windowMs"/> on the clock, as Polygon's aggregates are: the 9:00
    /// hour holds 9:30–9:59, so a chart's live candle (bucketed on the clock) meets its history bar.
    /// </summary>
    private static IEnumerable<Bar> OnClock(IEnumerable<Bar> minutes, long windowMs) =>
        minutes.GroupBy(b => b.Time - b.Time % windowMs).Select(window => Merge([.. window]) with { Time = window.Key });

    private static IEnumerable<Bar> Group(IEnumerable<Bar> bars, int size) => bars.Chunk(Math.Max(1, size)).Select(Merge);

    private static Bar Merge(Bar[] bars)
    {
        var volume = bars.Sum(b => b.Volume);
        var vwap = volume == 0 ? bars[^1].Close : Math.Round(bars.Sum(b => b.Vwap * b.Volume) / volume, 4);
        return new Bar(bars[0].Time, bars[0].Open, bars.Max(b => b.High), bars.Min(b => b.Low), bars[^1].Close, volume, vwap, bars.Sum(b => b.Transactions));
    }

    /// <summary>A session's move, uniform with the symbol's daily volatility as its standard deviation.</summary>
    private decimal Move(DateOnly day) => (decimal)((RandomFor(day, salt: 3).NextDouble() - 0.5) * 2 * Math.Sqrt(3) * walk.DailyVolatility);

    // Never HashCode.Combine: it is seeded per process, and history must be the same everywhere.
    private Random RandomFor(DateOnly day, int salt = 0) => new(unchecked(seed * 31 + day.DayNumber * 1_000_003 + salt * 7_919 + Fnv(walk.Symbol)));

    private static int Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return unchecked((int)hash);
    }

    /// <summary>09:30 New York on <paramref name="day"/>, in Unix ms.</summary>
    private static long SessionStartMs(DateOnly day) => MarketCalendar.FromNewYork(day.ToDateTime(new TimeOnly(9, 30))).ToUnixTimeMilliseconds();

    private static (int, int) WeekOf(long ms)
    {
        var d = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        return (System.Globalization.ISOWeek.GetYear(d), System.Globalization.ISOWeek.GetWeekOfYear(d));
    }

    private static (int, int) MonthOf(long ms)
    {
        var d = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        return (d.Year, d.Month);
    }
}
