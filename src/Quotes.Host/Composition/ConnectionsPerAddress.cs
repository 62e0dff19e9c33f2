using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Quotes.Host.Auth;

namespace Quotes.Host.Composition;

/// <summary>
/// Kestrel connection middleware: at most <c>Limits:MaxConnectionsPerIp</c> open TCP connections per client address (IPv6 per
/// /64, as every per-IP limit here), counted before any byte is read, so one host cannot hold Kestrel's node-wide
/// <c>Limits:MaxConcurrentConnections</c> with idle keep-alive connections or slow request heads. A connection past it is
/// closed at once. Loopback counts like any address. Proxies configured in <c>ForwardedHeaders:KnownProxies</c> or
/// <c>KnownNetworks</c> are not counted: every client behind one arrives from its address, and the per-IP limits after it
/// see the forwarded client address instead.
/// </summary>
public sealed class ConnectionsPerAddress(int max, IReadOnlyList<IPAddress> proxies, IReadOnlyList<System.Net.IPNetwork> networks,
    Func<ILogger> createLogger)
{
    /// <summary>Refusals are logged at most this often (a flood must not flood the log too).</summary>
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    private readonly Lazy<ILogger> _logger = new(createLogger);
    private long _refused;
    private long _loggedAt;

    /// <summary>Connections closed at once since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (address is null || IsProxy(address))
        {
            await next(connection);
            return;
        }
        var group = FailedAuthThrottle.Normalize(address);
        if (_open.AddOrUpdate(group, 1, (_, n) => n + 1) > max)
        {
            Release(group);
            Refuse(group);
            return; // returning without running the pipeline closes the connection
        }
        try { await next(connection); }
        finally { Release(group); }
    };

    private bool IsProxy(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return proxies.Contains(address) || networks.Any(n => n.Contains(address));
    }

    private void Release(IPAddress group)
    {
        _open.AddOrUpdate(group, 0, (_, n) => n - 1);
        _open.TryRemove(new KeyValuePair<IPAddress, int>(group, 0));
    }

    private void Refuse(IPAddress group)
    {
        var refused = Interlocked.Increment(ref _refused);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _loggedAt);
        if ((last != 0 && now - last < LogEvery.TotalMilliseconds) || Interlocked.CompareExchange(ref _loggedAt, now, last) != last) return;
        _logger.Value.LogWarning("Closed a connection from {Address}: it holds {Max} open connections (Limits:MaxConnectionsPerIp); {Refused} refused since start",
            group, max, refused);
    }
}
