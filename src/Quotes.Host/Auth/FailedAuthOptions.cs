namespace Quotes.Host.Auth;

/// <summary>
/// The failed-auth throttle's settings in <c>Limits</c>: <c>Limits:FailedAuthPerMinute</c> failures (default 20) per address
/// within <c>Limits:FailedAuthWindow</c> (default 1 minute; the name keeps "per minute" for the default).
/// </summary>
public sealed class FailedAuthOptions
{
    public const string Section = "Limits";

    /// <summary>The longest window accepted: past it a shared address (a NAT, an office) is locked out for too long.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    public int FailedAuthPerMinute { get; set; } = 20;
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Problems()
    {
        if (FailedAuthPerMinute < 1) yield return $"Limits:FailedAuthPerMinute must be at least 1; it is {FailedAuthPerMinute}";
        if (FailedAuthWindow < TimeSpan.FromSeconds(1) || FailedAuthWindow > MaxWindow)
            yield return $"Limits:FailedAuthWindow must be between 1 s and {MaxWindow.TotalMinutes} minutes; it is {FailedAuthWindow}";
    }
}
