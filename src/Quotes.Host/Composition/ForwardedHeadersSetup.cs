using Microsoft.AspNetCore.HttpOverrides;

namespace Quotes.Host.Composition;

/// <summary>
/// Behind a TLS-terminating proxy the request reaches Kestrel as <c>http://internal-host</c>: the Origin check and the
/// façade's <c>next_url</c> need the public scheme and host, and per-IP limits need the client's address. ASP.NET Core's
/// forwarded-headers middleware supplies them from <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c>, but only for requests
/// that come from a trusted proxy: <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c>
/// (CIDR, e.g. <c>10.0.0.0/8</c>), or loopback (ASP.NET's default) while neither is set. From anyone else the headers are
/// ignored, so a client cannot forge its address or scheme. Once a proxy is configured, loopback is trusted only if listed
/// too: another process on the host cannot forge them either.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static void AddForwardedHeaders(this WebApplicationBuilder builder, TrustedProxyOptions trusted)
    {
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            if (trusted.Proxies.Length == 0 && trusted.Networks.Length == 0) return; // loopback, the default
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Proxies) options.KnownProxies.Add(proxy);
            foreach (var network in trusted.Networks) options.KnownIPNetworks.Add(network);
        });
    }
}
