namespace Quotes.Client;

/// <summary>
/// Exponential backoff with jitter: the step doubles from <c>min</c> to <c>max</c>, and each delay is a random point
/// between half the step and all of it, so clients cut off together do not come back together. The same rule as the
/// browser client's. Not thread-safe: the connection loop alone uses it.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;

    /// <summary>The delay before the next attempt; each call moves one step up, up to <c>max</c>.</summary>
    public TimeSpan Next()
    {
        var step = Step(_attempt);
        if (_attempt < 62) _attempt++;
        return step * (0.5 + _random.NextDouble() * 0.5);
    }

    /// <summary>Back to the first step: the server said <c>welcome</c>.</summary>
    public void Reset() => _attempt = 0;

    private TimeSpan Step(int attempt)
    {
        var ticks = min.Ticks * Math.Pow(2, attempt);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
