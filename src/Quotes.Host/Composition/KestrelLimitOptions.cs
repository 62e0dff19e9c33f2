namespace Quotes.Host.Composition;

/// <summary>
/// The connection-level limits Kestrel enforces before any endpoint runs, under <c>Limits:</c> (see <see cref="KestrelLimits"/>
/// and docs/SECURITY.md).
/// </summary>
public sealed class KestrelLimitOptions
{
    public const string Section = "Limits";

    /// <summary>The time a client has to send a complete request head (the WebSocket upgrade included).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRequestHeadersBytes { get; set; } = 16 * 1024;

    /// <summary>TCP connections; above the server's own client cap (<c>Limits:MaxConnections</c>), so that its limiter answers first.</summary>
    public long MaxConcurrentConnections { get; set; } = 25_000;

    public long MaxConcurrentUpgradedConnections { get; set; } = 22_000;

    /// <summary>How long an idle HTTP connection is kept.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections one address may hold at once; 0 turns the bound off.</summary>
    public int MaxConnectionsPerIp { get; set; } = 1_000;

    /// <summary>What is wrong with these limits, each naming its setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxConnectionsPerIp < 0) yield return $"Limits:MaxConnectionsPerIp must be 0 (off) or more; it is {MaxConnectionsPerIp}";
        if (HandshakeTimeout <= TimeSpan.Zero) yield return $"Limits:HandshakeTimeout must be more than 0; it is {HandshakeTimeout}";
        if (KeepAliveTimeout <= TimeSpan.Zero) yield return $"Limits:KeepAliveTimeout must be more than 0; it is {KeepAliveTimeout}";
        if (MaxRequestHeadersBytes < 1) yield return $"Limits:MaxRequestHeadersBytes must be at least 1; it is {MaxRequestHeadersBytes}";
        if (MaxConcurrentConnections < 1) yield return $"Limits:MaxConcurrentConnections must be at least 1; it is {MaxConcurrentConnections}";
        if (MaxConcurrentUpgradedConnections < 1)
            yield return $"Limits:MaxConcurrentUpgradedConnections must be at least 1; it is {MaxConcurrentUpgradedConnections}";
    }
}
