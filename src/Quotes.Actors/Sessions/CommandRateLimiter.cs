namespace Quotes.Actors.Sessions;

/// <summary>
/// A token bucket for one connection's commands: <c>burst</c> at once, refilled at <c>perSecond</c>. Pure and
/// clock-injected. Counts refusals in a row, so that sustained abuse can be told from a brief burst.
/// </summary>
public sealed class CommandRateLimiter(double perSecond, int burst)
{
    private double _tokens = burst;
    private DateTime _last = DateTime.MinValue;

    /// <summary>Commands refused since the last one allowed.</summary>
    public int RefusedInARow { get; private set; }

    public bool TryTake(DateTime now)
    {
        // A clock stepped back (an NTP correction, a resumed VM) refills nothing; it never takes tokens away.
        if (_last != DateTime.MinValue) _tokens = Math.Min(burst, _tokens + Math.Max(0, (now - _last).TotalSeconds) * perSecond);
        _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            RefusedInARow = 0;
            return true;
        }
        RefusedInARow++;
        return false;
    }
}
