using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// The symbols the server confirmed holding for this client: added on <c>subscribed</c>, removed on <c>unsubscribed</c>,
/// whoever asked. It mirrors the server, so a reply that comes after its request timed out still counts, and it is what a
/// new connection subscribes to again. One exception: a release the caller asked for counts at once (<see cref="Release"/>).
/// </summary>
internal sealed class SubscriptionSet
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _held = new(StringComparer.Ordinal);

    public void Confirmed(IEnumerable<string> symbols)
    {
        lock (_gate) _held.UnionWith(symbols);
    }

    public void Released(IEnumerable<string> symbols)
    {
        lock (_gate) _held.ExceptWith(symbols);
    }

    /// <summary>
    /// The caller asked to release <paramref name="requested"/> (as typed): they are dropped now, not on the server's
    /// answer, since an answer may never come (asked during an outage, timed out) and the next connection would subscribe
    /// to them again. Returns the symbols dropped, normalised; none when an entry is not a valid symbol, as the server
    /// refuses such a request whole.
    /// </summary>
    public IReadOnlyList<string> Release(IEnumerable<string> requested)
    {
        var symbols = new List<string>();
        foreach (var raw in requested)
        {
            if (!SymbolRules.TryNormalize(raw, out var symbol)) return [];
            symbols.Add(symbol);
        }
        Released(symbols);
        return symbols;
    }

    /// <summary>Whether the symbol is held: quotes of one released meanwhile (still on their way, or streamed because the
    /// server refused the release) are not the caller's any more.</summary>
    public bool Holds(string symbol)
    {
        lock (_gate) return _held.Contains(symbol);
    }

    /// <summary>Those of <paramref name="symbols"/> not held (released since a request named them).</summary>
    public IReadOnlyList<string> NotHeld(IEnumerable<string> symbols)
    {
        lock (_gate) return symbols.Where(s => !_held.Contains(s)).ToList();
    }

    /// <summary>The held symbols, in order: what to subscribe to again on a new connection.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate) return [.. _held];
    }
}
