using System.Globalization;

namespace Quotes.Actors.Sessions;

/// <summary>
/// What one node tells the others about one client key (<see cref="KeyBudgetReplicator"/>): the symbols the key holds there,
/// and the new symbols it took on there in the last minute (count per second, stamped with the second's last take). Encoded
/// as one short string, takes in Unix ms (<c>AAPL,MSFT|1764570000250:3,1764570002900:1</c>) so that the replicated map needs no serializer of its own.
/// Pure.
/// </summary>
public sealed record KeyHoldings(IReadOnlyCollection<string> Symbols, IReadOnlyList<KeyHoldings.Take> Takes)
{
    /// <summary>New symbols taken on at <see cref="At"/>.</summary>
    public readonly record struct Take(DateTime At, int Count);

    public static readonly KeyHoldings None = new([], []);

    /// <summary>The takes grouped per second: what a node publishes stays at most 61 entries however often it admits.</summary>
    public static List<Take> PerSecond(IEnumerable<Take> takes) =>
        takes.GroupBy(t => t.At.Ticks / TimeSpan.TicksPerSecond)
            .Select(g => new Take(g.Max(t => t.At), g.Sum(t => t.Count)))
            .OrderBy(t => t.At)
            .ToList();

    public string Encode() =>
        string.Join(',', Symbols) + "|" + string.Join(',', Takes.Select(t =>
            new DateTimeOffset(t.At).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ":" + t.Count.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The holdings <paramref name="text"/> encodes; <see cref="None"/> for anything else (another version's format).</summary>
    public static KeyHoldings Decode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Split('|') is not [var symbols, var takes]) return None;
        var parsed = new List<Take>();
        foreach (var entry in takes.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.Split(':') is not [var ms, var count]
                || !long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs)
                || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || unixMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                return None;
            parsed.Add(new Take(DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime, n));
        }
        return new KeyHoldings(symbols.Split(',', StringSplitOptions.RemoveEmptyEntries), parsed);
    }
}
