namespace Quotes.Client;

/// <summary>
/// Exponential backoff with jitter: the step doubles from <c>min</c> to <c>max</c>, and each delay is a random point
/// between half the step and all of it, so clients cut off together do not come back together. The same steps as the
/// browser client's, but it starts again from the first step only after a connection stayed up <see cref="StableAfter"/>
/// (from its <c>welcome</c>), not on every <c>welcome</c>: a server that says <c>welcome</c> and closes at once (1008 too many requests or slow
/// consumer, 1011) would otherwise be reconnected to every 0.25-0.5 s forever. Times are <see cref="TimeSpan"/>s of one
/// monotonic clock, passed in. Not thread-safe: one loop alone uses it.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    /// <summary>How long a connection must have stayed up for its drop to count as a fresh start.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;
    private TimeSpan? _openedAt;
    private int _goingAway; // 1001s since the last connection that stayed up

    /// <summary>A connection is usable (the server said <c>welcome</c>) at <paramref name="at"/>.</summary>
    public void Opened(TimeSpan at) => _openedAt = at;

    /// <summary>
    /// The delay before the next attempt, asked at <paramref name="at"/>: back to the first step when the last connection
    /// stayed up <see cref="StableAfter"/>, else one step up from the last delay (up to <c>max</c>).
    /// </summary>
    public TimeSpan Next(TimeSpan at)
    {
        if (_openedAt is { } opened && at - opened >= StableAfter) _attempt = _goingAway = 0;
        _openedAt = null;
        var step = Step(_attempt);
        if (_attempt < 62) _attempt++;
        return step * (0.5 + _random.NextDouble() * 0.5);
    }

    /// <summary>
    /// The delay after a <c>1001</c> (the node is going away, any other will do), at <paramref name="at"/>: the first
    /// step's (half to all of <c>min</c>), whatever failures came before, so that the clients of a node that drains spread
    /// over it instead of reaching the others in the same instant. A failure after it goes one step up, as the browser
    /// client does. <c>1001</c>s in a row without a connection that stayed up <see cref="StableAfter"/> between them
    /// (a balancer that keeps sending the client to a draining node, a node that says <c>welcome</c> and leaves at once)
    /// go one step up each, as any other failure would.
    /// </summary>
    public TimeSpan AfterGoingAway(TimeSpan at)
    {
        if (_openedAt is { } opened && at - opened >= StableAfter) _goingAway = 0;
        _openedAt = null;
        var step = Step(_goingAway);
        if (_goingAway < 62) _goingAway++;
        _attempt = _goingAway;
        return step * (0.5 + _random.NextDouble() * 0.5);
    }

    private TimeSpan Step(int attempt)
    {
        var ticks = min.Ticks * Math.Pow(2, attempt);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
