using System.Net.WebSockets;

namespace Quotes.Actors.Upstream;

/// <summary>
/// How long the upstream waits before its next connection, from what the last one reported: a drop waits the jittered
/// exponential <see cref="Backoff"/>, which starts over only after a connection stayed healthy for
/// <c>Quotes:HealthyAfter</c>; an eviction (<c>max_connections</c>) waits <c>Quotes:EvictionCooldown</c>, or
/// <see cref="TakeoverRetry"/> in a holder's first cooldown after it took over from another node; a refusal
/// (<c>auth_failed</c>, a simulator under <c>Polygon:Required</c>) waits <c>Quotes:AuthRetry</c>. Pure bookkeeping for
/// <see cref="UpstreamActor"/>; the last delays are kept for <c>/admin/cluster</c>.
/// </summary>
/// <param name="tookOver">Other members were up when this holder started: it took the upstream over from another node.</param>
public sealed class ReconnectPolicy(QuotesOptions settings, bool tookOver, DateTime startedAt, Random? random = null)
{
    /// <summary>
    /// In its first <see cref="QuotesOptions.EvictionCooldown"/>, a holder that took over from another node retries an
    /// eviction after this instead of the cooldown: the usual cause is the previous holder's connection, not yet closed.
    /// </summary>
    public static readonly TimeSpan TakeoverRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>Delays kept for the report.</summary>
    public const int Kept = 20;

    private readonly Random _random = random ?? new Random();
    private readonly Queue<TimeSpan> _recent = new();

    /// <summary>Reconnects since the last connection that stayed healthy.</summary>
    public int Attempt { get; private set; }

    /// <summary>The last delays scheduled after a drop or an eviction, oldest first.</summary>
    public IReadOnlyList<TimeSpan> RecentDelays => _recent.ToList();

    /// <summary>The connection stayed up for <c>Quotes:HealthyAfter</c>: the backoff starts over.</summary>
    public void Healthy() => Attempt = 0;

    /// <summary>The connection dropped, failed to open, or was replaced: the next step of the backoff.</summary>
    public TimeSpan AfterDrop() => Scheduled(Backoff.Delay(Attempt, settings.MinBackoff, settings.MaxBackoff, _random));

    /// <summary>Polygon evicted the connection; <paramref name="takeover"/> when it is the short retry of a holder that just took over.</summary>
    public TimeSpan AfterEviction(DateTime now, out bool takeover)
    {
        takeover = tookOver && now - startedAt < settings.EvictionCooldown;
        return Scheduled(takeover ? TakeoverRetry : settings.EvictionCooldown);
    }

    /// <summary>Polygon refused the key (or the node refuses a simulator): the slow retry. Not counted as a reconnect attempt.</summary>
    public TimeSpan AfterRefusal() => settings.AuthRetry;

    /// <summary>
    /// Polygon evicts the extra connection of an account right after it authenticated, sometimes without saying so: a close
    /// handshake (not a network drop) within <c>Quotes:EvictionWindow</c> of <c>auth_success</c> is taken for an eviction.
    /// </summary>
    public bool IsSilentEviction(WebSocketCloseStatus? closeStatus, DateTime authenticatedAt, DateTime now) =>
        closeStatus is not null && now - authenticatedAt < settings.EvictionWindow;

    private TimeSpan Scheduled(TimeSpan delay)
    {
        Attempt++;
        _recent.Enqueue(delay);
        if (_recent.Count > Kept) _recent.Dequeue();
        return delay;
    }
}
