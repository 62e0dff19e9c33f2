using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// What a hub delivers never narrows the day its clients saw. The entities already carry the day across incarnations
/// (<see cref="Symbols.QuoteState.Adopt"/>); this is the last line: within one trading day an update's high, low and
/// volume are widened to the latest quote the hub delivered, whichever incarnation sent it.
/// </summary>
public static class DayContinuity
{
    public static Quote Continue(Quote latest, Quote next)
    {
        if (!(next.High < latest.High || next.Low > latest.Low || next.Volume < latest.Volume)) return next;
        if (MarketCalendar.DayEndMs(next.Timestamp) != MarketCalendar.DayEndMs(latest.Timestamp)) return next;
        return next with
        {
            High = next.High < latest.High ? latest.High : next.High,
            Low = next.Low > latest.Low ? latest.Low : next.Low,
            Volume = Math.Max(next.Volume, latest.Volume),
        };
    }
}
