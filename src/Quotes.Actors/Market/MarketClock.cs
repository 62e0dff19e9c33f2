using Quotes.Contracts;

namespace Quotes.Actors.Market;

/// <summary>
/// US equity session from the clock alone: regular 09:30–16:00 New York time on weekdays, extended hours 04:00–09:30
/// and 16:00–20:00, otherwise closed. Exchange holidays are not known here; Polygon's market status is (REST API).
/// </summary>
public static class MarketClock
{
    private static readonly TimeZoneInfo? NewYork = Find("America/New_York");

    public static string StateAt(DateTimeOffset utc)
    {
        var local = ToNewYork(utc);
        if (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return MarketStates.Closed;
        var time = local.TimeOfDay;
        if (time >= new TimeSpan(9, 30, 0) && time < new TimeSpan(16, 0, 0)) return MarketStates.Open;
        if (time >= new TimeSpan(4, 0, 0) && time < new TimeSpan(20, 0, 0)) return MarketStates.ExtendedHours;
        return MarketStates.Closed;
    }

    public static DateTime ToNewYork(DateTimeOffset utc)
    {
        if (NewYork is not null) return TimeZoneInfo.ConvertTime(utc, NewYork).DateTime;
        // No tz database: US rule since 2007, DST from the second Sunday of March to the first Sunday of November.
        var year = utc.UtcDateTime.Year;
        var dstStart = NthSunday(year, 3, 2).AddHours(7);
        var dstEnd = NthSunday(year, 11, 1).AddHours(6);
        var offset = utc.UtcDateTime >= dstStart && utc.UtcDateTime < dstEnd ? -4 : -5;
        return utc.UtcDateTime.AddHours(offset);
    }

    private static DateTime NthSunday(int year, int month, int n)
    {
        var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        var sunday = first.AddDays(((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7);
        return sunday.AddDays(7 * (n - 1));
    }

    private static TimeZoneInfo? Find(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return null; }
    }
}
