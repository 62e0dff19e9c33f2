using Quotes.Contracts;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The stale-feed rule: while the market is open and symbols are subscribed, a connection that carried no aggregate for
/// <c>Quotes:StaleAfter</c> is stale (it looks alive, answers pings, and delivers nothing). Outside the regular session a
/// quiet feed is normal and never stale, and silence from before the open does not count: a feed that carried nothing
/// since Friday (thin symbols, nothing traded before the bell) gets <c>Quotes:StaleAfter</c> from the open, like any other.
/// One per holder; its sweep asks <see cref="Check"/> every second.
/// </summary>
public sealed class StaleFeed
{
    private DateTime? _openSince;

    /// <param name="marketState">One of <see cref="MarketStates"/>, now.</param>
    /// <param name="subscribed">Symbols subscribed on the connection.</param>
    /// <param name="silence">Time since the connection's last aggregate (or since it opened), counted from the open at most.</param>
    public static bool IsStale(string marketState, int subscribed, TimeSpan silence, TimeSpan staleAfter) =>
        marketState == MarketStates.Open && subscribed > 0 && silence >= staleAfter;

    /// <summary>
    /// The rule now, with the silence counted from the later of the last aggregate and the moment the market was first seen
    /// open since it was last seen otherwise (<paramref name="silence"/>: that count).
    /// </summary>
    public bool Check(string marketState, int subscribed, TimeSpan sinceLastAggregate, TimeSpan staleAfter, DateTime now, out TimeSpan silence)
    {
        silence = sinceLastAggregate;
        if (marketState != MarketStates.Open)
        {
            _openSince = null;
            return false;
        }
        _openSince ??= now;
        var sinceOpen = now - _openSince.Value;
        if (sinceOpen < silence) silence = sinceOpen;
        return IsStale(marketState, subscribed, silence, staleAfter);
    }
}
