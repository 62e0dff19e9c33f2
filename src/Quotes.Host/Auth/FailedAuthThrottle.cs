using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Quotes.Host.Api;

namespace Quotes.Host.Auth;

/// <summary>
/// Key guessing is throttled per client address: after <c>Limits:FailedAuthPerMinute</c> failed authentications (default
/// 20) within <c>Limits:FailedAuthWindow</c> (default a minute), every further attempt from that address is refused with 429
/// until the window is over, even with a right key, so a guess that happens to be right is worth nothing. One fixed window
/// per address (<see cref="PartitionedRateLimiter"/>, which also drops idle addresses; IPv6 per /64); only failures consume it.
/// </summary>
public sealed class FailedAuthThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _failures;
    private readonly TimeSpan _window;

    public FailedAuthThrottle(IOptions<FailedAuthOptions> options)
    {
        var limits = options.Value;
        _window = limits.FailedAuthWindow;
        _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.FailedAuthPerMinute, Window = _window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Whole seconds until a blocked address may try again, at most: the <c>Retry-After</c> value.</summary>
    public string RetryAfter => ((int)Math.Ceiling(_window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The outcome of an authentication under the throttle.</summary>
    public enum Verdict { Valid, Invalid, Blocked }

    /// <summary>
    /// The one way to authenticate under the throttle: a blocked address is refused before its key is looked at; a key
    /// <paramref name="isValid"/> rejects counts as a failure of <paramref name="address"/>.
    /// </summary>
    public Verdict Check<TKey>(IPAddress? address, TKey key, Func<TKey, bool> isValid)
    {
        if (IsBlocked(address)) return Verdict.Blocked;
        if (isValid(key)) return Verdict.Valid;
        Failed(address);
        return Verdict.Invalid;
    }

    /// <summary>Whether <paramref name="address"/> has used up its failures for this window.</summary>
    public bool IsBlocked(IPAddress? address) => _failures.GetStatistics(Normalize(address))?.CurrentAvailablePermits == 0;

    /// <summary>Counts a failed authentication from <paramref name="address"/>.</summary>
    public void Failed(IPAddress? address)
    {
        using var _ = _failures.AttemptAcquire(Normalize(address));
    }

    /// <summary>The protocol's answer to a blocked address: 429 <c>RATE_LIMITED</c> with <c>Retry-After</c>.</summary>
    public IResult Refusal() =>
        ApiErrors.ToResult(ApiError.RateLimited($"too many failed authentications from this address; retry after {RetryAfter} s", _window));

    /// <summary>One IPv4 address, or one IPv6 /64 (a single host usually holds a whole /64 and could rotate through it).</summary>
    public static IPAddress Normalize(IPAddress? address)
    {
        if (address is null) return IPAddress.None;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    public void Dispose() => _failures.Dispose();
}
