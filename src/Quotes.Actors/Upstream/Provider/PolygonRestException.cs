namespace Quotes.Actors.Upstream.Provider;

/// <summary>How a Polygon REST call failed, in the terms the client protocol maps to HTTP statuses.</summary>
public enum PolygonFailure
{
    /// <summary>Polygon has no such symbol or data (→ 404).</summary>
    NotFound,
    /// <summary>Polygon refused the parameters (→ 400).</summary>
    BadRequest,
    /// <summary>The key or plan is refused: 401/403 (→ 502, naming the cause, never the key).</summary>
    Refused,
    /// <summary>Rate limited, 5xx, timeout, network failure or open circuit, after retries (→ 503).</summary>
    Unavailable,
    /// <summary>This node's provider budget (<see cref="ProviderRateLimiter"/>) is spent for now: nothing was sent (→ 503 with <c>Retry-After</c>).</summary>
    Busy,
    /// <summary>The REST upstream marked its answer simulated and <c>Polygon:Required</c> is set: refused, never cached (→ 502).</summary>
    Simulated,
    /// <summary>The calling key's share of the provider budget is spent for now: nothing was sent (→ 429 with <c>Retry-After</c>).</summary>
    KeyShare,
}

/// <summary>A Polygon REST call that failed. The message is safe to show: it names the cause and never the key.</summary>
public sealed class PolygonRestException(PolygonFailure failure, int status, string message, Exception? inner = null) : Exception(message, inner)
{
    public PolygonFailure Failure { get; } = failure;

    /// <summary>Polygon's HTTP status, 0 when no response came.</summary>
    public int Status { get; } = status;

    /// <summary>When to try again, for <see cref="PolygonFailure.Busy"/> and <see cref="PolygonFailure.KeyShare"/>.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>
    /// This failure again, to throw for another request that shared the call (an exception object is thrown for one only);
    /// the original is its inner exception.
    /// </summary>
    public PolygonRestException Again() => new(Failure, Status, Message, this) { RetryAfter = RetryAfter };

    public static PolygonRestException Busy(ProviderBusyException e) =>
        new(e.KeyShare ? PolygonFailure.KeyShare : PolygonFailure.Busy, 0, e.Message, e) { RetryAfter = e.RetryAfter };
}
