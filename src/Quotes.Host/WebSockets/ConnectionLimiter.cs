using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Quotes.Contracts.WebSockets;
using Quotes.Host.Facade;

namespace Quotes.Host.WebSockets;

/// <summary>
/// Caps open client sockets per node (<c>Limits:MaxConnections</c>) and per client key (<c>Limits:MaxConnectionsPerKey</c>).
/// A refused client is accepted only to be closed with 1013 (try again later), the close code the protocol names.
/// Keys are counted by hash, so no key is held in memory in the clear.
/// <para>
/// A socket that has not authenticated yet (<c>/polygon/stocks</c> authenticates inside the protocol) holds a pre-auth slot
/// instead: a small budget of its own per node (<c>Limits:MaxPreAuthConnections</c>) and per client address
/// (<c>Limits:MaxPreAuthConnectionsPerIp</c>, IPv6 counted per /64), so sockets that never authenticate cannot take the
/// slots of keyed clients. It trades that slot for a client slot at <c>auth_success</c> (<see cref="FacadeSlot"/>).
/// </para>
/// </summary>
public sealed class ConnectionLimiter(IOptions<ConnectionLimitOptions> options)
{
    private readonly int _perNode = options.Value.MaxConnections;
    private readonly int _perKey = options.Value.MaxConnectionsPerKey;
    private readonly ConcurrentDictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly int _preAuthPerNode = options.Value.MaxPreAuthConnections;
    private readonly int _preAuthPerAddress = options.Value.MaxPreAuthConnectionsPerIp;
    private readonly ConcurrentDictionary<IPAddress, int> _preAuthByAddress = new();
    private int _open;
    private int _preAuth;

    /// <summary>Sockets open now that hold a client slot (keyed or authenticated).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Sockets open now that have not authenticated.</summary>
    public int PreAuth => Volatile.Read(ref _preAuth);

    /// <summary>
    /// A slot to dispose when the socket closes; null when a limit is reached. <paramref name="id"/>: the caller's budget id
    /// (<see cref="KeyId"/> of its key); none: the node limit only.
    /// </summary>
    public IDisposable? TryAcquire(string? id)
    {
        if (Interlocked.Increment(ref _open) > _perNode)
        {
            Interlocked.Decrement(ref _open);
            return null;
        }
        if (id is not null && _byKey.AddOrUpdate(id, 1, (_, n) => n + 1) > _perKey)
        {
            Release(id);
            return null;
        }
        return new Slot(this, id);
    }

    /// <summary>A pre-auth slot for a socket from <paramref name="address"/>; null when the node's or the address's pre-auth budget is spent.</summary>
    public IDisposable? TryAcquirePreAuth(IPAddress? address)
    {
        var group = AddressGroup(address);
        if (Interlocked.Increment(ref _preAuth) > _preAuthPerNode)
        {
            Interlocked.Decrement(ref _preAuth);
            return null;
        }
        if (_preAuthByAddress.AddOrUpdate(group, 1, (_, n) => n + 1) > _preAuthPerAddress)
        {
            ReleasePreAuth(group);
            return null;
        }
        return new Once(() => ReleasePreAuth(group));
    }

    /// <summary>How a key is known in memory: its SHA-256, never the key itself.</summary>
    public static string KeyId(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>One IPv4 address, or one IPv6 /64 (what a single host or customer is usually given).</summary>
    private static IPAddress AddressGroup(IPAddress? address)
    {
        if (address is null) return IPAddress.None;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private void ReleasePreAuth(IPAddress group)
    {
        Interlocked.Decrement(ref _preAuth);
        _preAuthByAddress.AddOrUpdate(group, 0, (_, n) => n - 1);
        _preAuthByAddress.TryRemove(new KeyValuePair<IPAddress, int>(group, 0));
    }

    /// <summary>Closes a refused socket with 1013 (try again later), within 2 s.</summary>
    public static Task RefuseAsync(WebSocket socket) =>
        socket.CloseWithin((WebSocketCloseStatus)1013, "server at its connection limit; retry later", TimeSpan.FromSeconds(2));

    private void Release(string? id)
    {
        Interlocked.Decrement(ref _open);
        if (id is null) return;
        _byKey.AddOrUpdate(id, 0, (_, n) => n - 1);
        _byKey.TryRemove(new KeyValuePair<string, int>(id, 0));
    }

    private sealed class Slot(ConnectionLimiter owner, string? id) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release(id);
        }
    }

    private sealed class Once(Action release) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) release();
        }
    }
}
