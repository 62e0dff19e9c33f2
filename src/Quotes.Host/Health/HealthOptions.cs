namespace Quotes.Host.Health;

/// <summary>The <c>Health</c> section: what readiness (<c>/health/ready</c>) tolerates.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    private static readonly TimeSpan MinHubReportTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxHubReportTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>Health:HubReportTimeout</c>: readiness fails once the hub has not reported for this long. The default is five of
    /// the hub's once-a-second reports missed; more than its period (at least 2 s), at most 5 min: a stopped or stuck hub
    /// must not look ready for long.
    /// </summary>
    public TimeSpan HubReportTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Problems()
    {
        if (HubReportTimeout < MinHubReportTimeout || HubReportTimeout > MaxHubReportTimeout)
            yield return $"Health:HubReportTimeout must be from {MinHubReportTimeout.TotalSeconds} s to {MaxHubReportTimeout.TotalMinutes} min (the hub reports once a second); it is {HubReportTimeout}";
    }
}
