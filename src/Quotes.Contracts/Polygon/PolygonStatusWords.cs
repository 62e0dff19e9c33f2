namespace Quotes.Contracts.Polygon;

/// <summary>
/// The <c>status</c> words of Polygon's socket events, once: written by the simulator and the façade
/// (<see cref="PolygonStatus"/>), read by the upstream when Polygon (or a simulator) answers it.
/// </summary>
public static class PolygonStatusWords
{
    public const string Connected = "connected";
    public const string AuthSuccess = "auth_success";
    public const string AuthFailed = "auth_failed";
    public const string AuthTimeout = "auth_timeout";
    public const string AuthRequired = "auth_required";
    public const string MaxConnections = "max_connections";
    public const string SlowConsumer = "slow_consumer";
    /// <summary>A <c>subscribe</c> or <c>unsubscribe</c> that was carried out.</summary>
    public const string Success = "success";
    public const string Error = "error";
}
