namespace Quotes.Simulator;

/// <summary>
/// Deterministic history for a symbol, consistent with its live walk: today's daily bar is the walk's live state, a day
/// the walk traded and has ended is the bar it ended (<see cref="PriceWalk.TryGetDay"/>), and every other session is made
/// up around a close: since the walk's first date, the price it stood at (<see cref="PriceWalk.CloseOf"/>); before it, the
/// last session closes at the walk's first previous close and earlier closes step back from it by moves of the symbol's
/// daily volatility. Intraday bars bridge each session's open to its close with the session's U-shaped volume. A new
/// day rewrites no earlier session. Same seed and symbol, same history, in every process.
/// </summary>
public sealed class PriceHistory(PriceWalk walk)
{
    public sealed record Bar(long Time, decimal Open, decimal High, decimal Low, decimal Close, long Volume, decimal Vwap, long Transactions);

    private const int MaxSessions = 5 * 260;
    /// <summary>Made-up closes, of sessions before the walk's first date: they never change.</summary>
    private readonly Dictionary<DateOnly, decimal> _closes = new();

    /// <summary>
    /// Bars of <paramref name="multiplier"/> × <paramref name="timespan"/> from <paramref name="from"/> to <paramref name="to"/>,
    /// ascending. The walk moves to <paramref name="today"/> first if it is on an earlier date. Polygon's windows snap to the
    /// calendar: a week bar begins on a Sunday, a month, quarter or year bar on its first day (midnight New York), and the range
    /// widens to whole windows (a range from a Wednesday has that week's Monday in its first bar).
    /// </summary>
    public IEnumerable<Bar> Range(string timespan, int multiplier, DateOnly from, DateOnly to, DateOnly today)
    {
        walk.RollTo(today);
        // Nothing before the history's first session: windows are laid from there (a week still from its Sunday).
        if (from < FirstSession(today)) from = FirstSession(today);
        if (to < from) return [];
        return timespan switch
        {
            "minute" => Sessions(from, to, today).SelectMany(d => OnClock(Minutes(d, today), multiplier * 60_000L)),
            "hour" => Sessions(from, to, today).SelectMany(d => OnClock(Minutes(d, today), multiplier * 3_600_000L)),
            "day" => Group(Sessions(from, to, today).Select(d => Daily(d, today)), multiplier),
            "week" or "month" or "quarter" or "year" => CalendarBars(CalendarWindows.Of(timespan, multiplier, from), to, today),
            _ => [],
        };
    }

    /// <summary>The sessions from the first window's start to the end of the window holding <paramref name="to"/>, one bar per window.</summary>
    private IEnumerable<Bar> CalendarBars(CalendarWindows windows, DateOnly to, DateOnly today) =>
        Sessions(windows.First, windows.EndOf(to < today ? to : today), today)
            .Select(d => (Window: windows.StartOf(d), Bar: Daily(d, today)))
            .GroupBy(x => x.Window, x => x.Bar)
            .Select(window => Merge([.. window]) with { Time = DayBarTime(window.Key) });

    /// <summary>The first day of the history: about <see cref="MaxSessions"/> sessions before <paramref name="today"/>.</summary>
    private static DateOnly FirstSession(DateOnly today) => today.AddDays(-MaxSessions * 7 / 5);

    private IEnumerable<DateOnly> Sessions(DateOnly from, DateOnly to, DateOnly today)
    {
        var last = to > today ? today : to;
        var first = from < FirstSession(today) ? FirstSession(today) : from;
        for (var d = first; d <= last; d = d.AddDays(1))
            if (MarketCalendar.IsTradingDay(d)) yield return d;
    }

    /// <summary>
    /// The close of <paramref name="day"/>, a session before the walk's first date (<paramref name="first"/>): the walk's
    /// first previous close for the last one, earlier ones stepped back from it, each undoing that session's move.
    /// </summary>
    private decimal MadeUpClose(DateOnly day, DateOnly first)
    {
        var last = MarketCalendar.PreviousTradingDay(first);
        if (day >= last) return walk.FirstPreviousClose;
        lock (_closes)
        {
            if (_closes.TryGetValue(day, out var cached)) return cached;
            var close = walk.FirstPreviousClose;
            for (var d = last; d > day; d = MarketCalendar.PreviousTradingDay(d))
                close = Math.Max(0.5m, Math.Round(close / (1m + Move(d)), 2));
            _closes[day] = close;
            return close;
        }
    }

    /// <summary>
    /// The time of <paramref name="day"/>'s bar: midnight New York, as Polygon stamps a day's aggregates. Every endpoint
    /// that gives a day's bar (range, <c>/prev</c>, grouped) stamps it so.
    /// </summary>
    public static long DayBarTime(DateOnly day) => MarketCalendar.FromNewYork(day.ToDateTime(TimeOnly.MinValue)).ToUnixTimeMilliseconds();

    private Bar Daily(DateOnly day, DateOnly today)
    {
        var time = DayBarTime(day);
        if (day >= today)
        {
            var live = walk.Day;
            return new Bar(time, live.Open, live.High, live.Low, live.Price, live.Volume, live.Vwap, Math.Max(1, live.Volume / 100));
        }
        if (walk.TryGetDay(day, out var ended) && ended.Volume > 0)
            return new Bar(time, ended.Open, ended.High, ended.Low, ended.Close, ended.Volume, ended.Vwap, ended.Transactions);
        // A session the walk never traded in: made up around the close it stood at.
        var first = walk.FirstSession ?? today;
        var b = MadeUpSession.Around(walk.Symbol, walk.Seed, day, day < first ? MadeUpClose(day, first) : walk.CloseOf(day), walk.DailyVolume, walk.DailyVolatility);
        return new Bar(time, b.Open, b.High, b.Low, b.Close, b.Volume, b.Vwap, b.Transactions);
    }

    /// <summary>
    /// One bar per minute of the regular session (so far, today), a Brownian bridge from the day's open to its close. An
    /// ended session's minutes stay within its range and reach it (the highest minute touches the day's high, the lowest its
    /// low), and their volumes split the day's along the session's U-shaped curve and add up to it, so its minute, hourly and
    /// daily bars agree. Today's minutes are not fitted to the live day: its range and volume grow by the second, and a
    /// finished minute's volume must not change from one request to the next (a chart merges them with live quotes).
    /// </summary>
    private List<Bar> Minutes(DateOnly day, DateOnly today)
    {
        var daily = Daily(day, today);
        var ended = day < today;
        var minutes = (int)(MarketCalendar.CloseOf(day) - new TimeSpan(9, 30, 0)).TotalMinutes;
        if (!ended)
        {
            var now = MarketCalendar.ToNewYork(DateTimeOffset.UtcNow).TimeOfDay - new TimeSpan(9, 30, 0);
            minutes = Math.Clamp((int)now.TotalMinutes, 0, minutes);
        }
        var random = RandomFor(day, salt: 7);
        var start = SessionStartMs(day);
        var bars = new List<Bar>(minutes);
        var weights = new double[minutes];
        var price = daily.Open;
        for (var i = 0; i < minutes; i++)
        {
            var left = minutes - i;
            var drift = (daily.Close - price) / left;
            var next = Math.Max(0.01m, Math.Round(price + drift + price * (decimal)(random.NextDouble() - 0.5) * 0.002m, 2));
            if (ended) next = Math.Clamp(next, daily.Low, daily.High);
            if (i == minutes - 1) next = daily.Close;
            var high = Math.Round(Math.Max(price, next) * (1m + (decimal)random.NextDouble() * 0.0005m), 2);
            var low = Math.Round(Math.Min(price, next) * (1m - (decimal)random.NextDouble() * 0.0005m), 2);
            if (ended) (high, low) = (Math.Min(daily.High, high), Math.Max(daily.Low, low));
            weights[i] = IntradayVolume.Expected(daily.Volume, IntradayVolume.SessionOpen + TimeSpan.FromMinutes(i + 0.5), TimeSpan.FromMinutes(1)) * (0.7 + 0.6 * random.NextDouble());
            var volume = Math.Max(100L, (long)Math.Round(weights[i]));
            bars.Add(new Bar(start + i * 60_000L, price, high, low, next, volume, Math.Round((price + next) / 2m, 4), volume / 100 + 1));
            price = next;
        }
        return ended && minutes > 0 ? FittedToDay(bars, weights, daily) : bars;
    }

    /// <summary>An ended session's minutes reaching its high and low, their volumes split from the day's and adding up to it.</summary>
    private static List<Bar> FittedToDay(List<Bar> bars, double[] weights, Bar daily)
    {
        var top = bars.IndexOf(bars.MaxBy(b => b.High)!);
        bars[top] = bars[top] with { High = daily.High };
        var bottom = bars.IndexOf(bars.MinBy(b => b.Low)!);
        bars[bottom] = bars[bottom] with { Low = daily.Low };
        var total = weights.Sum();
        var given = 0L;
        for (var i = 0; i < bars.Count; i++)
        {
            var volume = i == bars.Count - 1 ? daily.Volume - given : total > 0 ? (long)(daily.Volume * weights[i] / total) : 0;
            given += volume;
            bars[i] = bars[i] with { Volume = volume, Transactions = volume / 100 + 1 };
        }
        return bars;
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

    private decimal Move(DateOnly day) => MadeUpSession.Move(walk.Symbol, walk.Seed, day, walk.DailyVolatility);

    private Random RandomFor(DateOnly day, int salt) => MadeUpSession.RandomFor(walk.Symbol, walk.Seed, day, salt);

    /// <summary>09:30 New York on <paramref name="day"/>, in Unix ms.</summary>
    private static long SessionStartMs(DateOnly day) => MarketCalendar.FromNewYork(day.ToDateTime(new TimeOnly(9, 30))).ToUnixTimeMilliseconds();
}
