namespace Quotes.Contracts;

/// <summary>
/// The NYSE/Nasdaq session calendar, from rules alone: regular hours 09:30–16:00 New York time (13:00 on early-close
/// days), extended hours 04:00–09:30 and after the close until 20:00 (17:00 on early-close days), closed on weekends and
/// US market holidays (with weekend observance). Used for the <c>market</c> status and by the simulator's market status.
/// </summary>
public static class MarketCalendar
{
    private static readonly TimeSpan PreMarket = new(4, 0, 0);
    private static readonly TimeSpan Open = new(9, 30, 0);
    private static readonly TimeSpan Close = new(16, 0, 0);
    private static readonly TimeSpan EarlyClose = new(13, 0, 0);
    private static readonly TimeSpan AfterHoursEnd = new(20, 0, 0);
    private static readonly TimeSpan EarlyAfterHoursEnd = new(17, 0, 0);
    private static readonly TimeZoneInfo? NewYork = Find("America/New_York");

    /// <summary>
    /// A state that overrides the calendar for the whole process, or null (the default). Set only at start, by a host whose
    /// embedded simulator is configured with <c>Simulator:MarketState</c> (demos and tests of a closed market).
    /// </summary>
    public static string? Forced { get; set; }

    /// <summary><c>open</c>, <c>extended-hours</c> or <c>closed</c> at <paramref name="utc"/> (<see cref="Forced"/> when set).</summary>
    public static string StateAt(DateTimeOffset utc)
    {
        if (Forced is { } forced) return forced;
        var local = ToNewYork(utc);
        var day = DateOnly.FromDateTime(local);
        if (!IsTradingDay(day)) return MarketStates.Closed;
        var time = local.TimeOfDay;
        if (time >= Open && time < CloseOf(day)) return MarketStates.Open;
        if (time >= PreMarket && time < AfterHoursEndOf(day)) return MarketStates.ExtendedHours;
        return MarketStates.Closed;
    }

    public static bool IsTradingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(day);

    /// <summary>The regular session's close: 16:00, or 13:00 on the day after Thanksgiving, July 3 and Christmas Eve.</summary>
    public static TimeSpan CloseOf(DateOnly day) => IsEarlyClose(day) ? EarlyClose : Close;

    /// <summary>The end of post-market trading: 20:00, or 17:00 on an early-close day (<see cref="CloseOf"/> 13:00).</summary>
    private static TimeSpan AfterHoursEndOf(DateOnly day) => IsEarlyClose(day) ? EarlyAfterHoursEnd : AfterHoursEnd;

    public static DateOnly PreviousTradingDay(DateOnly day)
    {
        do day = day.AddDays(-1); while (!IsTradingDay(day));
        return day;
    }

    public static bool IsHoliday(DateOnly day)
    {
        var y = day.Year;
        return day == Observed(new DateOnly(y, 1, 1), saturdayMovesBack: false)
            || day == Nth(y, 1, DayOfWeek.Monday, 3)                      // Martin Luther King Jr. Day
            || day == Nth(y, 2, DayOfWeek.Monday, 3)                      // Washington's Birthday
            || day == Easter(y).AddDays(-2)                               // Good Friday
            || day == Last(y, 5, DayOfWeek.Monday)                        // Memorial Day
            || (y >= 2022 && day == Observed(new DateOnly(y, 6, 19)))     // Juneteenth
            || day == Observed(new DateOnly(y, 7, 4))                     // Independence Day
            || day == Nth(y, 9, DayOfWeek.Monday, 1)                      // Labor Day
            || day == Nth(y, 11, DayOfWeek.Thursday, 4)                   // Thanksgiving
            || day == Observed(new DateOnly(y, 12, 25))                   // Christmas
            || (day.Month == 12 && day.Day == 31 && day == Observed(new DateOnly(y + 1, 1, 1), saturdayMovesBack: false));
    }

    private static bool IsEarlyClose(DateOnly day) =>
        IsTradingDay(day) && (day == Nth(day.Year, 11, DayOfWeek.Thursday, 4).AddDays(1)
                              || (day.Month == 7 && day.Day == 3)
                              || (day.Month == 12 && day.Day == 24));

    /// <summary>
    /// The Unix ms at which the New York calendar day holding <paramref name="unixMs"/> ends. A US equity session (04:00
    /// to 20:00 New York, extended hours included) never spans two such days, so it keys "today" for day state.
    /// </summary>
    public static long DayEndMs(long unixMs) =>
        FromNewYork(ToNewYork(DateTimeOffset.FromUnixTimeMilliseconds(unixMs)).Date.AddDays(1)).ToUnixTimeMilliseconds();

    public static DateTime ToNewYork(DateTimeOffset utc)
    {
        if (NewYork is not null) return TimeZoneInfo.ConvertTime(utc, NewYork).DateTime;
        // No tz database: the US rule since 2007, DST from the second Sunday of March to the first Sunday of November.
        var y = utc.UtcDateTime.Year;
        var dstStart = Nth(y, 3, DayOfWeek.Sunday, 2).ToDateTime(new TimeOnly(7, 0));
        var dstEnd = Nth(y, 11, DayOfWeek.Sunday, 1).ToDateTime(new TimeOnly(6, 0));
        return utc.UtcDateTime.AddHours(utc.UtcDateTime >= dstStart && utc.UtcDateTime < dstEnd ? -4 : -5);
    }

    /// <summary>The instant at which New York's wall clock shows <paramref name="local"/>.</summary>
    public static DateTimeOffset FromNewYork(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (NewYork is not null) return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
        var guess = new DateTimeOffset(local, TimeSpan.FromHours(-5));
        return guess - (ToNewYork(guess) - local);
    }

    /// <summary>NYSE rule: a Sunday holiday is observed on Monday, a Saturday one on Friday (except New Year's Day).</summary>
    private static DateOnly Observed(DateOnly holiday, bool saturdayMovesBack = true) => holiday.DayOfWeek switch
    {
        DayOfWeek.Sunday => holiday.AddDays(1),
        DayOfWeek.Saturday => saturdayMovesBack ? holiday.AddDays(-1) : DateOnly.MinValue,
        _ => holiday,
    };

    private static DateOnly Nth(int year, int month, DayOfWeek weekday, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)weekday - (int)first.DayOfWeek + 7) % 7 + 7 * (n - 1));
    }

    private static DateOnly Last(int year, int month, DayOfWeek weekday)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)weekday + 7) % 7));
    }

    /// <summary>Gregorian Easter Sunday (anonymous algorithm).</summary>
    private static DateOnly Easter(int y)
    {
        int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451, month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(y, month, day);
    }

    private static TimeZoneInfo? Find(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return null; }
    }
}
