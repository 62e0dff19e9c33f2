using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Quotes.Host.WebSockets;

/// <summary>
/// Caps open client sockets per node (<c>Limits:MaxConnections</c>) and per client key (<c>Limits:MaxConnectionsPerKey</c>).
/// A refused client is accepted only to be closed with 1013 (try again later), the close code the protocol names.
/// Keys are counted by hash, so no key is held in memory in the clear.
/// </summary>
public sealed class ConnectionLimiter(IConfiguration configuration)
{
    private readonly int _perNode = configuration.GetValue("Limits:MaxConnections", 20_000);
    private readonly int _perKey = configuration.GetValue("Limits:MaxConnectionsPerKey", 5_000);
    private readonly ConcurrentDictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private int _open;

    /// <summary>A slot to dispose when the socket closes; null when a limit is reached. No key (Polygon clients authenticate later): the node limit only.</summary>
    public IDisposable? TryAcquire(string? key)
    {
        var id = key is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
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

    public static async Task RefuseAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await socket.CloseOutputAsync((WebSocketCloseStatus)1013, "server at its connection limit; retry later", timeout.Token); }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { socket.Abort(); }
    }

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
}
