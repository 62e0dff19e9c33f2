namespace Quotes.Simulator;

/// <summary>
/// A deterministic random walk for one symbol: its previous close, today's open, and one aggregate per step. A well-known
/// ticker starts near its real level and moves with its real daily volatility (<see cref="ReferenceTickers.TryGetLevel"/>);
/// any other gets a price from its name. Each window's volume follows the day's U-shape (<see cref="IntradayVolume"/>).
/// Same seed and symbol give the same path in every process (the hash is FNV-1a, never <c>string.GetHashCode</c>).
/// </summary>
public sealed class PriceWalk
{
    private readonly Random _random;
    private decimal _price;
    /// <summary>The price unrounded: rounding each step to the cent would change the walk's volatility.</summary>
    private decimal _exact;
    private decimal _high;
    private decimal _low;
    private long _accumulatedVolume;
    private decimal _turnover;
    private long _lastEnd;

    public PriceWalk(string symbol, int seed)
    {
        Symbol = symbol;
        _random = new Random(unchecked((int)StableHash(symbol) ^ seed));
        if (ReferenceTickers.TryGetLevel(symbol, out var level))
        {
            // Within a few percent of the level, a different day for each seed.
            PreviousClose = Math.Round(level.Price * (1m + (decimal)(_random.NextDouble() - 0.5) * 0.06m), 2);
            DailyVolatility = level.DailyVolatility;
            DailyVolume = level.DailyVolume;
        }
        else
        {
            PreviousClose = Math.Round(10m + (decimal)_random.NextDouble() * 490m, 2);
        }
        Open = Math.Round(PreviousClose * (1m + (decimal)((_random.NextDouble() - 0.5) * DailyVolatility)), 2);
        _price = _exact = _high = _low = Open;
    }

    /// <summary>The regular session's length in milliseconds: a daily volatility is spread over it.</summary>
    private static readonly double SessionMs = IntradayVolume.SessionLength.TotalMilliseconds;

    public string Symbol { get; }
    public decimal PreviousClose { get; }
    public decimal Open { get; }
    public decimal Price => _price;

    /// <summary>The walk's typical daily move, as a fraction of the price (0.02 is 2 %): the options' volatility comes from it.</summary>
    public double DailyVolatility { get; } = 0.02;

    /// <summary>Shares the symbol trades on an average day.</summary>
    public long DailyVolume { get; } = 5_000_000;

    /// <summary>The prior session's daily bar, consistent with <see cref="PreviousClose"/>.</summary>
    public (decimal Open, decimal High, decimal Low, decimal Close, long Volume) PreviousDay
    {
        get
        {
            var spread = Math.Round(PreviousClose * 0.015m, 2);
            return (Math.Round(PreviousClose - spread / 3, 2), PreviousClose + spread, PreviousClose - spread, PreviousClose, DailyVolume);
        }
    }

    /// <summary>Advances the walk by one window ending at <paramref name="endMs"/> and returns its aggregate.</summary>
    public PolygonAggregate Next(long endMs, long windowMs = 1000)
    {
        lock (_random)
        {
            var open = _price;
            // A uniform step with the window's share of the daily volatility (its standard deviation is sigma).
            var sigma = DailyVolatility * Math.Sqrt(windowMs / SessionMs);
            var step = (decimal)((_random.NextDouble() - 0.5) * 2 * Math.Sqrt(3) * sigma);
            _exact = Math.Max(0.01m, _exact * (1m + step));
            var close = Math.Round(_exact, 2);
            var wick = open * (decimal)sigma;
            var high = Math.Max(open, close) + Math.Round((decimal)_random.NextDouble() * wick, 2);
            var low = Math.Max(0.01m, Math.Min(open, close) - Math.Round((decimal)_random.NextDouble() * wick, 2));
            var time = MarketCalendar.ToNewYork(DateTimeOffset.FromUnixTimeMilliseconds(endMs)).TimeOfDay;
            var expected = IntradayVolume.Expected(DailyVolume, time, TimeSpan.FromMilliseconds(windowMs));
            var volume = Math.Max(1, (long)Math.Round(expected * (0.5 + _random.NextDouble())));
            var vwap = Math.Round((open + close + high + low) / 4m, 4);

            _price = close;
            _lastEnd = endMs;
            _high = Math.Max(_high, high);
            _low = Math.Min(_low, low);
            _accumulatedVolume += volume;
            _turnover += vwap * volume;

            return new PolygonAggregate
            {
                Symbol = Symbol,
                Volume = volume,
                AccumulatedVolume = _accumulatedVolume,
                OfficialOpen = Open,
                WindowVwap = vwap,
                Open = open,
                Close = close,
                High = high,
                Low = low,
                DayVwap = Math.Round(_turnover / _accumulatedVolume, 4),
                AverageSize = volume / Math.Max(1, volume / 100),
                Start = endMs - windowMs,
                End = endMs,
            };
        }
    }

    /// <summary>Today's state so far, for the snapshot endpoint.</summary>
    public (decimal Price, decimal High, decimal Low, long Volume, decimal Vwap, long LastEnd) Day
    {
        get
        {
            lock (_random)
                return (_price, _high, _low, _accumulatedVolume, _accumulatedVolume == 0 ? _price : Math.Round(_turnover / _accumulatedVolume, 4), _lastEnd);
        }
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return hash;
    }
}
