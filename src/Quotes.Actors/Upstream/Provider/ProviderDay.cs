namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// A symbol's day so far from the provider's snapshot, as an aggregate stamped with the snapshot's update time (so it never
/// overrides a newer aggregate), with the previous close; or why there is none (<see cref="Failure"/>).
/// </summary>
public sealed record ProviderDay(AggregateBar? Day, decimal? PreviousClose, string? Failure)
{
    /// <summary>The snapshot as the provider sent it (a REST read shows it as it is); null when it lists no such symbol or the read failed.</summary>
    public PolygonTickerSnapshot? Snapshot { get; init; }

    /// <summary>Why the read failed, when it did; null when it succeeded, also when the provider lists no such symbol.</summary>
    public PolygonRestException? Error { get; init; }

    /// <summary>The provider lists no such symbol.</summary>
    public static readonly ProviderDay Unlisted = new(null, null, "no snapshot published");

    /// <summary>The day <paramref name="t"/> tells: its last price as open, close and latest; no day when it has no price.</summary>
    public static ProviderDay Of(string symbol, PolygonTickerSnapshot t)
    {
        var price = PolygonRestClient.LastPrice(t);
        if (price <= 0) return Unlisted with { Snapshot = t };
        var updatedMs = t.Updated > 0 ? t.Updated / 1_000_000 : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bar = new AggregateBar
        {
            Symbol = symbol, Open = price, Close = price, High = Math.Max(price, t.Day.KnownHigh() ?? 0),
            Low = t.Day.KnownLow() is { } low ? Math.Min(price, low) : price,
            AccumulatedVolume = (long)(t.Day?.Volume ?? 0), OfficialOpen = t.Day.KnownOpen() ?? 0, DayVwap = t.Day.KnownVwap() ?? 0,
            Start = updatedMs, End = updatedMs,
        };
        return new ProviderDay(bar, t.PrevDay.KnownClose(), null) { Snapshot = t };
    }

    /// <summary>A read that failed: the reason for logs, and the failure in the protocol's terms for REST.</summary>
    public static ProviderDay Failed(Exception e) => e is PolygonRestException rest
        ? new ProviderDay(null, null, rest.Message) { Error = rest }
        // Whatever else failed (a disposed client at shutdown, a bug): the provider is as good as unavailable.
        : new ProviderDay(null, null, e.GetType().Name) { Error = new PolygonRestException(PolygonFailure.Unavailable, 0, "the provider read failed", e) };
}
