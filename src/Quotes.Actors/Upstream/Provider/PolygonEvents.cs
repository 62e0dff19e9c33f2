namespace Quotes.Actors.Upstream.Provider;

/// <summary>An event parsed from the upstream feed.</summary>
public abstract record PolygonEvent;

/// <summary>
/// An <c>A</c>/<c>AM</c> aggregate: per second or per minute, same shape (sym, o, h, l, c, v, av, op, vw, a, s, e). Fields Polygon may omit are zero when absent.
/// </summary>
public sealed record AggregateBar : PolygonEvent
{
    public required string Symbol { get; init; }
    public decimal Open { get; init; }
    public decimal High { get; init; }
    public decimal Low { get; init; }
    public decimal Close { get; init; }
    public long Volume { get; init; }
    public long AccumulatedVolume { get; init; }
    public decimal OfficialOpen { get; init; }
    public decimal WindowVwap { get; init; }
    public decimal DayVwap { get; init; }
    public long Start { get; init; }
    public long End { get; init; }

    /// <summary>The event exactly as the upstream sent it, relayed untouched to Polygon-protocol clients; null when synthesized.</summary>
    public byte[]? Raw { get; init; }
}

/// <summary>A <c>status</c> event: <c>connected</c>, <c>auth_success</c>, <c>max_connections</c>, ...</summary>
/// <param name="Simulated">The event carried <c>"simulated":true</c>: the upstream is a simulator (real Polygon never sends it).</param>
public sealed record PolygonStatusEvent(string Status, string Message, bool Simulated = false) : PolygonEvent;
