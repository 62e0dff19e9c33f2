namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// What a snapshot's bar (<c>day</c>, <c>prevDay</c>) knows. Polygon clears snapshots at 03:30 New York and fills them in as
/// trades arrive, with zeros meanwhile (POLYGON.md): a value not above 0 is unknown (null), never a price. The entity's day
/// (<see cref="ProviderDay.Of"/>) and the REST snapshot quote read a snapshot through these alike.
/// </summary>
public static class SnapshotBarValues
{
    /// <summary>The bar's open, when known.</summary>
    public static decimal? KnownOpen(this PolygonSnapshotBar? bar) => Known(bar?.Open);

    /// <summary>The bar's high, when known.</summary>
    public static decimal? KnownHigh(this PolygonSnapshotBar? bar) => Known(bar?.High);

    /// <summary>The bar's low, when known.</summary>
    public static decimal? KnownLow(this PolygonSnapshotBar? bar) => Known(bar?.Low);

    /// <summary>The bar's close, when known.</summary>
    public static decimal? KnownClose(this PolygonSnapshotBar? bar) => Known(bar?.Close);

    /// <summary>The bar's volume-weighted average price, when known.</summary>
    public static decimal? KnownVwap(this PolygonSnapshotBar? bar) => Known(bar?.Vwap);

    private static decimal? Known(decimal? value) => value is > 0 ? value : null;
}
