using Quotes.Contracts;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The stale-feed rule: while the market is open and symbols are subscribed, a connection that carried no aggregate for
/// <c>Quotes:StaleAfter</c> is stale (it looks alive, answers pings, and delivers nothing). Outside the regular session a
/// quiet feed is normal and never stale.
/// </summary>
public static class StaleFeed
{
    /// <param name="marketState">One of <see cref="MarketStates"/>, now.</param>
    /// <param name="subscribed">Symbols subscribed on the connection.</param>
    /// <param name="silence">Time since the connection's last aggregate (or since it opened).</param>
    public static bool IsStale(string marketState, int subscribed, TimeSpan silence, TimeSpan staleAfter) =>
        marketState == MarketStates.Open && subscribed > 0 && silence >= staleAfter;
}
