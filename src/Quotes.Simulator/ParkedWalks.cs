namespace Quotes.Simulator;

/// <summary>
/// Walks the market stopped listing (<see cref="IdleWalks"/>) whose New York day is not over yet, kept until it is: a
/// walk is state, not a function of time (each step draws from its own generator), so one made again from the seed would
/// start the day over at its open and replay the morning's steps, and the day's range, volume and VWAP the stream and REST
/// already told would start again from nothing. A symbol subscribed again the same day gets its walk back and goes on from
/// where it stood, exactly as if it had been kept. Once its day is over a walk is forgotten for good, and a later
/// subscription starts a new one from the seed. Not thread-safe: the market calls it under one lock.
/// </summary>
/// <param name="maxWalks">The most walks it keeps (<see cref="MaxWalks"/>; fewer in specs).</param>
internal sealed class ParkedWalks(int maxWalks = ParkedWalks.MaxWalks)
{
    /// <summary>
    /// A walk of a made-up symbol is about half a kilobyte, plus a bar per day it walked: this bounds them to tens of
    /// megabytes whatever a day's clients subscribe to. Past it, a walk is forgotten at once, as when its day is over.
    /// </summary>
    internal const int MaxWalks = 100_000;

    private readonly Dictionary<string, PriceWalk> _walks = new(StringComparer.Ordinal);

    public int Count => _walks.Count;

    /// <summary>
    /// Keeps <paramref name="walk"/>, which the market just stopped listing, if it is on a day not over at
    /// <paramref name="today"/> (New York date); a walk that never stepped has nothing to keep.
    /// </summary>
    /// <returns>False when it is forgotten instead.</returns>
    public bool Park(PriceWalk walk, DateOnly today)
    {
        if (walk.Session is not { } session || session < today || _walks.Count >= maxWalks) return false;
        _walks[walk.Symbol] = walk;
        return true;
    }

    /// <summary>Takes back the walk of <paramref name="symbol"/>, if one is kept.</summary>
    public bool TryTake(string symbol, out PriceWalk walk) => _walks.Remove(symbol, out walk!);

    /// <summary>Forgets the walks whose day is over at <paramref name="today"/> (New York date).</summary>
    public void ForgetDaysBefore(DateOnly today)
    {
        foreach (var (symbol, walk) in _walks)
            if (walk.Session < today) _walks.Remove(symbol);
    }
}
