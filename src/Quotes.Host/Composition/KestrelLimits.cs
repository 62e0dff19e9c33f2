namespace Quotes.Host.Composition;

/// <summary>
/// Connection-level limits Kestrel enforces before any endpoint runs (docs/SECURITY.md):
/// <c>Limits:HandshakeTimeout</c> (default 10 s) is the time a client has to send a complete upgrade/HTTP request head,
/// so a slow or silent peer cannot hold a connection open before it is even authenticated;
/// <c>Limits:MaxRequestHeadersBytes</c> (default 16 KiB) caps that head.
/// </summary>
public static class KestrelLimits
{
    public static void AddKestrelLimits(this WebApplicationBuilder builder)
    {
        var handshake = builder.Configuration.GetValue("Limits:HandshakeTimeout", TimeSpan.FromSeconds(10));
        var headers = builder.Configuration.GetValue("Limits:MaxRequestHeadersBytes", 16 * 1024);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.RequestHeadersTimeout = handshake;
            kestrel.Limits.MaxRequestHeadersTotalSize = headers;
            kestrel.AddServerHeader = false;
        });
    }
}
