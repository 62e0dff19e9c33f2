namespace Quotes.Simulator;

/// <summary>
/// Polygon's calendar windows for week, month, quarter and year bars: <see cref="First"/> is the start of the window that
/// holds a range's first day (a Sunday for weeks, the first day of the month, quarter or year otherwise), and each window
/// is <c>multiplier</c> weeks or months long from there.
/// </summary>
public readonly record struct CalendarWindows(DateOnly First, int Days, int Months)
{
    /// <summary>A window longer than this (a thousand years) is as long: it holds the whole history either way.</summary>
    private const int MaxWindowMonths = 12_000;

    /// <param name="from">The range's first day: from the year 2 on (its week begins on a Sunday after the first date there is).</param>
    public static CalendarWindows Of(string timespan, int multiplier, DateOnly from)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(multiplier, 1);
        var months = (int)Math.Min((long)multiplier * (timespan switch { "quarter" => 3, "year" => 12, _ => 1 }), MaxWindowMonths);
        return timespan switch
        {
            "week" => new(from.AddDays(-(int)from.DayOfWeek), (int)Math.Min(7L * multiplier, MaxWindowMonths * 31L), 0),
            "month" => new(new DateOnly(from.Year, from.Month, 1), 0, months),
            "quarter" => new(new DateOnly(from.Year, (from.Month - 1) / 3 * 3 + 1, 1), 0, months),
            "year" => new(new DateOnly(from.Year, 1, 1), 0, months),
            _ => throw new ArgumentOutOfRangeException(nameof(timespan), timespan, "not a calendar timespan"),
        };
    }

    /// <summary>The start of the window that holds <paramref name="day"/> (not before <see cref="First"/>).</summary>
    public DateOnly StartOf(DateOnly day) => Days > 0
        ? First.AddDays((day.DayNumber - First.DayNumber) / Days * Days)
        : First.AddMonths((MonthIndex(day) - MonthIndex(First)) / Months * Months);

    /// <summary>The last day of the window that holds <paramref name="day"/>.</summary>
    public DateOnly EndOf(DateOnly day) => Days > 0 ? StartOf(day).AddDays(Days - 1) : StartOf(day).AddMonths(Months).AddDays(-1);

    private static int MonthIndex(DateOnly day) => day.Year * 12 + day.Month - 1;
}
