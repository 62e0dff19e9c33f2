namespace Quotes.Host.WebSockets;

/// <summary>The socket caps <see cref="ConnectionLimiter"/> keeps, under <c>Limits:</c>.</summary>
public sealed class ConnectionLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Client sockets one node holds at once.</summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Client sockets one key holds at once on a node.</summary>
    public int MaxConnectionsPerKey { get; set; } = 5_000;

    /// <summary>Sockets not yet authenticated, per node.</summary>
    public int MaxPreAuthConnections { get; set; } = 1_000;

    /// <summary>Sockets not yet authenticated, per client address (IPv6 per /64).</summary>
    public int MaxPreAuthConnectionsPerIp { get; set; } = 50;

    /// <summary>A cap below 1 (0 would refuse every socket), named with its setting; empty when none is.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxConnections < 1) yield return $"Limits:MaxConnections must be at least 1; it is {MaxConnections}";
        if (MaxConnectionsPerKey < 1) yield return $"Limits:MaxConnectionsPerKey must be at least 1; it is {MaxConnectionsPerKey}";
        if (MaxPreAuthConnections < 1) yield return $"Limits:MaxPreAuthConnections must be at least 1; it is {MaxPreAuthConnections}";
        if (MaxPreAuthConnectionsPerIp < 1) yield return $"Limits:MaxPreAuthConnectionsPerIp must be at least 1; it is {MaxPreAuthConnectionsPerIp}";
    }
}
