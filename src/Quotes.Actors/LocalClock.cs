namespace Quotes.Actors;

/// <summary>
/// This process's clock for its own deadlines (leases, lingering wants, retries, cooldowns): it reads like UTC, but it moves
/// only with the monotonic clock of its <see cref="TimeProvider"/>. A wall clock stepped by an NTP correction or a resumed
/// VM then neither ends every lease at once (forward) nor keeps a dead hub's symbols streaming for as long as the step
/// (back). Its times mean nothing outside this process: what crosses nodes or names a time of day (key budgets' takes, the
/// market calendar, quote times) stays on the wall clock.
/// </summary>
public sealed class LocalClock
{
    private readonly TimeProvider _time;
    private readonly DateTime _origin;
    private readonly long _originTimestamp;

    public LocalClock(TimeProvider time)
    {
        _time = time;
        _origin = time.GetUtcNow().UtcDateTime;
        _originTimestamp = time.GetTimestamp();
    }

    /// <summary>The one every actor uses unless a spec gives it another.</summary>
    public static LocalClock System { get; } = new(TimeProvider.System);

    /// <summary>The wall clock as it read when this clock started, plus the monotonic time since.</summary>
    public DateTime Now => _origin + _time.GetElapsedTime(_originTimestamp);
}
