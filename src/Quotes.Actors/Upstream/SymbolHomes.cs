using System.Collections.Concurrent;
using Akka.Actor;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The node each symbol's entity runs on, as far as the upstream knows it from the entities' wants: the table
/// <see cref="AggregateRouting"/> routes by. A symbol with no home here goes through this node's inbox and the region.
/// Thread-safe: written by the upstream actor, read by the connection's apply stage.
/// <para>
/// It holds only symbols the upstream carries: the upstream's sweep drops the others (<see cref="Retain"/>), so a holder
/// that runs for weeks while clients come and go keeps the symbols streamed now, not every symbol ever streamed.
/// </para>
/// </summary>
public sealed class SymbolHomes
{
    private readonly ConcurrentDictionary<string, Address> _homes = new(StringComparer.Ordinal);

    /// <summary>Symbols with a home on another node now.</summary>
    public int Count => _homes.Count;

    public bool TryGet(string symbol, out Address node) => _homes.TryGetValue(symbol, out node!);

    /// <summary>The symbol's entity runs on <paramref name="node"/>; null: on this node, or on one that cannot take batches.</summary>
    public void Note(string symbol, Address? node)
    {
        if (node is null) _homes.TryRemove(symbol, out _);
        else _homes[symbol] = node;
    }

    /// <summary>A node left, went down or became unreachable: its symbols have no home until their entities want again.</summary>
    public void Forget(Address node)
    {
        foreach (var (symbol, home) in _homes)
            if (home == node) _homes.TryRemove(new KeyValuePair<string, Address>(symbol, home));
    }

    /// <summary>Drops the symbols <paramref name="carried"/> says the upstream no longer carries (a full scan: the sweep's).</summary>
    public void Retain(Func<string, bool> carried)
    {
        foreach (var (symbol, home) in _homes)
            if (!carried(symbol)) _homes.TryRemove(new KeyValuePair<string, Address>(symbol, home));
    }
}
