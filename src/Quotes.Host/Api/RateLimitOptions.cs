namespace Quotes.Host.Api;

/// <summary>The <c>Api:RateLimit</c> section: each key's token bucket for REST (<see cref="RateLimits"/>); below 1 counts as 1.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Api:RateLimit";

    public int PermitsPerSecond { get; set; } = 20;
    public int Burst { get; set; } = 40;
}
