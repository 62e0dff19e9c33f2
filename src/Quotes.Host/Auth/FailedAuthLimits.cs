namespace Quotes.Host.Auth;

/// <summary>
/// The failed-auth throttle's settings, read and checked at start: <c>Limits:FailedAuthPerMinute</c> failures (default 20)
/// per address within <c>Limits:FailedAuthWindow</c> (default 1 minute; the name keeps "per minute" for the default).
/// </summary>
public sealed record FailedAuthLimits(int Failures, TimeSpan Window)
{
    /// <summary>The longest window accepted: past it a shared address (a NAT, an office) is locked out for too long.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    public static FailedAuthLimits From(IConfiguration configuration)
    {
        var failures = configuration.GetValue("Limits:FailedAuthPerMinute", 20);
        if (failures < 1) throw new InvalidOperationException($"Limits:FailedAuthPerMinute must be at least 1; it is {failures}");
        var window = configuration.GetValue("Limits:FailedAuthWindow", TimeSpan.FromMinutes(1));
        if (window < TimeSpan.FromSeconds(1) || window > MaxWindow)
            throw new InvalidOperationException($"Limits:FailedAuthWindow must be between 1 s and {MaxWindow.TotalMinutes} minutes; it is {window}");
        return new FailedAuthLimits(failures, window);
    }
}
