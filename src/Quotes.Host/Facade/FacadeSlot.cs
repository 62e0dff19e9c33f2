using Quotes.Actors.Facade;
using Quotes.Host.Auth;
using Quotes.Host.WebSockets;

namespace Quotes.Host.Facade;

/// <summary>
/// The connection budget of one <c>/polygon/stocks</c> socket: a pre-auth slot until the client authenticates, then a
/// client slot charged to its key (<see cref="ConnectionLimiter.TryAcquire"/>), so the node's and the key's caps count
/// authenticated clients only. A wrong key counts against the client's address (<see cref="FailedAuthThrottle"/>); an
/// address past its failures is refused even with a right key. Called from the session actor (<c>auth</c>) and the
/// socket's end (dispose).
/// </summary>
public sealed class FacadeSlot(ConnectionLimiter limiter, ClientKeys keys, IDisposable preAuth, FailedAuthThrottle throttle,
    System.Net.IPAddress? address) : IDisposable
{
    private readonly Lock _lock = new();
    private IDisposable? _held = preAuth;
    private FacadeAuth? _granted;

    public FacadeAuth Authenticate(string? key)
    {
        if (throttle.Check(address, key, keys.IsValid) != FailedAuthThrottle.Verdict.Valid) return FacadeAuth.Failed;
        lock (_lock)
        {
            if (_granted is not null) return _granted; // authenticated already: the first key stays charged
            if (_held is null) return FacadeAuth.Failed; // the socket is gone
            if (limiter.TryAcquire(ConnectionLimiter.KeyId(key!)) is not { } slot) return FacadeAuth.AtCapacity;
            _held.Dispose();
            _held = slot;
            return _granted = new FacadeAuth(FacadeAuthResult.Success, ConnectionLimiter.KeyId(key!));
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}
