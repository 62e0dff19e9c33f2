namespace Quotes.Host.Composition;

/// <summary>
/// Connection-level limits Kestrel enforces before any endpoint runs (docs/SECURITY.md):
/// <c>Limits:HandshakeTimeout</c> (default 10 s) is the time a client has to send a complete upgrade/HTTP request head,
/// so a slow or silent peer cannot hold a connection open before it is even authenticated;
/// <c>Limits:MaxRequestHeadersBytes</c> (default 16 KiB) caps that head. Kestrel's own connection caps, unlimited by
/// default, get bounds above the server's client cap (<c>Limits:MaxConnections</c>, 20,000), so that AkkaQuotes' own limiter
/// answers first with its protocol close and Kestrel's caps only stop what gets past it:
/// <c>Limits:MaxConcurrentConnections</c> (default 25,000 TCP connections), <c>Limits:MaxConcurrentUpgradedConnections</c>
/// (default 22,000 WebSockets) and <c>Limits:KeepAliveTimeout</c> (default 30 s for an idle HTTP connection). Within
/// those, <c>Limits:MaxConnectionsPerIp</c> (default 1,000; 0 turns it off) keeps one address from holding them all
/// (<see cref="ConnectionsPerAddress"/>).
/// </summary>
public static class KestrelLimits
{
    public static void AddKestrelLimits(this WebApplicationBuilder builder, TrustedProxyOptions trusted)
    {
        var limits = builder.AddSettingsNow<KestrelLimitOptions>(KestrelLimitOptions.Section, o => o.Problems());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (limits.MaxConnectionsPerIp > 0)
            {
                // One count for every endpoint; the logger exists only once the server runs.
                var cap = new ConnectionsPerAddress(limits.MaxConnectionsPerIp, trusted.Proxies, trusted.Networks,
                    () => kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ConnectionsPerAddress>());
                kestrel.ConfigureEndpointDefaults(listen => listen.Use(cap.Wrap));
            }
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentUpgradedConnections;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = limits.HandshakeTimeout;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
            kestrel.AddServerHeader = false;
        });
    }
}
