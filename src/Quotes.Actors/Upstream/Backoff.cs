namespace Quotes.Actors.Upstream;

/// <summary>Exponential backoff with full jitter in [50%, 100%] of the step: min, 2×min, … capped at max.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, Random random)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var step = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(step * (0.5 + random.NextDouble() * 0.5));
    }
}
