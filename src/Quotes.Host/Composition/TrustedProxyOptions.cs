using System.Net;

namespace Quotes.Host.Composition;

/// <summary>
/// The proxies whose forwarded headers are believed (<c>ForwardedHeaders:KnownProxies</c>, addresses, and
/// <c>ForwardedHeaders:KnownNetworks</c>, CIDR); neither set: loopback, ASP.NET's default (see <see cref="ForwardedHeadersSetup"/>).
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    public string[] KnownProxies { get; set; } = [];

    public string[] KnownNetworks { get; set; } = [];

    /// <summary>The proxies configured explicitly; each entry is an address (see <see cref="Problems"/>).</summary>
    public IPAddress[] Proxies => Entries(KnownProxies).Select(p => IPAddress.TryParse(p, out var address) ? address : null).OfType<IPAddress>().ToArray();

    /// <summary>The networks configured explicitly; each entry is a network in CIDR form (see <see cref="Problems"/>).</summary>
    public IPNetwork[] Networks => Entries(KnownNetworks).Select(n => IPNetwork.TryParse(n, out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>().ToArray();

    /// <summary>A malformed entry, named with its setting; empty when none is.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var proxy in Entries(KnownProxies).Where(p => !IPAddress.TryParse(p, out _)))
            yield return $"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address";
        foreach (var network in Entries(KnownNetworks).Where(n => !IPNetwork.TryParse(n, out _)))
            yield return $"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR form (10.0.0.0/8)";
    }

    private static IEnumerable<string> Entries(string[] entries) => entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim());
}
