namespace Quotes.Actors.Outbox;

/// <summary>What a session's client speaks: AkkaQuotes' protocol (<c>/ws</c>) or Polygon's (<c>/polygon/stocks</c>).</summary>
public enum SessionFormat
{
    /// <summary>Encoded <c>quote</c> messages, snapshots on subscribe, <c>status</c> updates.</summary>
    Quotes,
    /// <summary>The upstream's own events, untouched; no snapshots, no AkkaQuotes status.</summary>
    Polygon,
}
