namespace Quotes.Actors.Tests;

/// <summary>
/// The system's time with a wall clock that a spec steps (as an NTP correction or a resumed VM steps it) while the
/// monotonic clock runs on untouched.
/// </summary>
public sealed class SteppedWallClock : TimeProvider
{
    private long _offsetTicks;

    public void Step(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
