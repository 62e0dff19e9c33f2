using Quotes.Contracts;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The stale-feed rule: while the market is open and symbols are subscribed, a connection that carried no aggregate for
/// <c>Quotes:StaleAfter</c> is stale (it looks alive, answers pings, and delivers nothing). Outside the regular session a
/// quiet feed is normal and never stale, and silence from before the open does not count: a feed that carried nothing
/// since Friday (thin symbols, nothing traded before the bell) gets <c>Quotes:StaleAfter</c> from the open, like any other.
/// Nor does silence from while nothing was subscribed: the first symbols after a quiet spell get <c>Quotes:StaleAfter</c>
/// from the moment they are seen subscribed. One per holder; its sweep asks <see cref="Check"/> every second.
/// <para>
/// Replacing a stale connection helps when the connection is what is stuck. When the provider has nothing to send (an
/// exchange closure the calendar does not know, a halt, a plan without the channel, symbols nobody trades), every
/// replacement is as silent as the last: so each one replaced in a row, with no aggregate between, doubles the silence
/// the next must reach, up to <see cref="LongestWait"/> (or <c>Quotes:StaleAfter</c> if longer). The first aggregate
/// on any connection starts it over.
/// </para>
/// </summary>
public sealed class StaleFeed
{
    /// <summary>The longest silence a connection is given after stale replacements in a row.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(10);

    private DateTime? _openSince;
    private DateTime? _subscribedSince;
    private int _inARow;
    private long _framesAtReplace;

    /// <summary>Stale connections replaced since the last aggregate.</summary>
    public int InARow => _inARow;

    /// <summary>The silence that makes the current connection stale: <paramref name="staleAfter"/>, doubled per replacement in a row.</summary>
    public TimeSpan Wait(TimeSpan staleAfter)
    {
        var longest = staleAfter > LongestWait ? staleAfter : LongestWait;
        var ticks = staleAfter.Ticks * Math.Pow(2, Math.Min(_inARow, 30));
        return ticks >= longest.Ticks ? longest : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The stale connection is being replaced; <paramref name="aggregateFrames"/>: the feed's count of frames with aggregates.</summary>
    public void Replaced(long aggregateFrames)
    {
        _inARow++;
        _framesAtReplace = aggregateFrames;
    }

    /// <param name="marketState">One of <see cref="MarketStates"/>, now.</param>
    /// <param name="subscribed">Symbols subscribed on the connection.</param>
    /// <param name="silence">Time since the connection's last aggregate (or since it opened), counted from the open at most.</param>
    public static bool IsStale(string marketState, int subscribed, TimeSpan silence, TimeSpan staleAfter) =>
        marketState == MarketStates.Open && subscribed > 0 && silence >= staleAfter;

    /// <summary>
    /// The rule now, with the silence counted from the latest of the last aggregate, the moment the market was first seen
    /// open since it was last seen otherwise, and the moment symbols were first seen subscribed since none were
    /// (<paramref name="silence"/>: that count), against <see cref="Wait"/>.
    /// <paramref name="aggregateFrames"/>: the feed's count of frames with aggregates, over all its connections.
    /// </summary>
    public bool Check(string marketState, int subscribed, TimeSpan sinceLastAggregate, long aggregateFrames, TimeSpan staleAfter, DateTime now,
        out TimeSpan silence)
    {
        if (aggregateFrames != _framesAtReplace) _inARow = 0;
        silence = sinceLastAggregate;
        if (marketState != MarketStates.Open)
        {
            _openSince = null;
            _inARow = 0; // the next session starts with StaleAfter, whatever this one was like
            return false;
        }
        _openSince ??= now;
        if (subscribed == 0)
        {
            _subscribedSince = null;
            _inARow = 0; // the next symbols start with StaleAfter
            return false;
        }
        _subscribedSince ??= now;
        var since = now - (_openSince > _subscribedSince ? _openSince.Value : _subscribedSince.Value);
        if (since < silence) silence = since;
        return IsStale(marketState, subscribed, silence, Wait(staleAfter));
    }
}
