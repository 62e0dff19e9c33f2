using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// The latest quote of each symbol this node's clients recently let go, newest first, at most <c>capacity</c> of them.
/// When a client subscribes to one again, the hub hands it to the symbol's entity as a seed (by then it may be a new
/// incarnation that knows nothing) and delivers nothing below it, so <c>seq</c> never goes back for a connection that
/// unsubscribes and subscribes again, as long as the symbol is among the <c>capacity</c> let go most recently.
/// </summary>
public sealed class ReleasedQuotes(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<Quote>> _bySymbol = new(StringComparer.Ordinal);
    private readonly LinkedList<Quote> _newestFirst = new();

    public int Count => _bySymbol.Count;

    public void Keep(Quote quote)
    {
        Take(quote.Symbol);
        _bySymbol[quote.Symbol] = _newestFirst.AddFirst(quote);
        if (_bySymbol.Count <= capacity) return;
        _bySymbol.Remove(_newestFirst.Last!.Value.Symbol);
        _newestFirst.RemoveLast();
    }

    /// <summary>Keeps <paramref name="quote"/> unless a quote of the same symbol with a higher <c>seq</c> is kept already.</summary>
    public void KeepNewer(Quote quote)
    {
        if (_bySymbol.TryGetValue(quote.Symbol, out var kept) && kept.Value.Seq >= quote.Seq) return;
        Keep(quote);
    }

    /// <summary>The quote kept for <paramref name="symbol"/>, no longer kept; null when there is none.</summary>
    public Quote? Take(string symbol)
    {
        if (!_bySymbol.Remove(symbol, out var node)) return null;
        _newestFirst.Remove(node);
        return node.Value;
    }
}
