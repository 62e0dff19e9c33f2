namespace Quotes.Simulator;

/// <summary>
/// A deterministic random walk for one symbol: its previous close, today's open, and one aggregate per step. A well-known
/// ticker starts near its real level and moves with its real daily volatility (<see cref="ReferenceTickers.TryGetLevel"/>);
/// any other gets a price from its name. Each window's volume follows the day's U-shape (<see cref="IntradayVolume"/>).
/// Same seed and symbol give the same path in every process (the hash is FNV-1a, never <c>string.GetHashCode</c>).
/// <para>
/// Its day is the New York date of the events it is asked for (<see cref="Next"/>), or of the date a reader moves it to
/// (<see cref="RollTo"/>): the first of a new date ends the day before, whose last price becomes the previous close, and
/// starts the new one at an open a small overnight gap away, with high, low, volume and VWAP afresh. A walk never goes
/// back: an event of an earlier date counts in the day it is on.
/// </para>
/// </summary>
public sealed class PriceWalk
{
    /// <summary>Days it ended that it keeps: five years, all that <see cref="PriceHistory"/> serves.</summary>
    private const int KeptDays = 5 * 366;

    private readonly Random _random;
    private decimal _price;
    /// <summary>The price unrounded: rounding each step to the cent would change the walk's volatility.</summary>
    private decimal _exact;
    private decimal _previousClose;
    private decimal _open;
    private decimal _high;
    private decimal _low;
    private long _accumulatedVolume;
    private decimal _turnover;
    private long _lastEnd;
    private DateOnly? _session;
    private DateOnly? _firstSession;
    /// <summary>The days it ended, oldest first.</summary>
    private readonly List<DayBar> _days = [];

    public PriceWalk(string symbol, int seed)
    {
        Symbol = symbol;
        Seed = seed;
        _random = new Random(unchecked((int)StableHash(symbol) ^ seed));
        if (ReferenceTickers.TryGetLevel(symbol, out var level))
        {
            // Within a few percent of the level, a different day for each seed.
            FirstPreviousClose = Math.Round(level.Price * (1m + (decimal)(_random.NextDouble() - 0.5) * 0.06m), 2);
            DailyVolatility = level.DailyVolatility;
            DailyVolume = level.DailyVolume;
        }
        else
        {
            FirstPreviousClose = Math.Round(10m + (decimal)_random.NextDouble() * 490m, 2);
        }
        _previousClose = FirstPreviousClose;
        _open = Math.Round(_previousClose * (1m + (decimal)((_random.NextDouble() - 0.5) * DailyVolatility)), 2);
        _price = _exact = _high = _low = _open;
    }

    /// <summary>The regular session's length in milliseconds: a daily volatility is spread over it.</summary>
    private static readonly double SessionMs = IntradayVolume.SessionLength.TotalMilliseconds;

    public string Symbol { get; }

    /// <summary>The seed of its path, and of the sessions made up around it (<see cref="MadeUpSession"/>).</summary>
    public int Seed { get; }

    /// <summary>The last price of the day before <see cref="Session"/>: at first the close of a made-up prior session.</summary>
    public decimal PreviousClose
    {
        get { lock (_random) return _previousClose; }
    }

    /// <summary>The official open of <see cref="Session"/>: its first price.</summary>
    public decimal Open
    {
        get { lock (_random) return _open; }
    }

    public decimal Price
    {
        get { lock (_random) return _price; }
    }

    /// <summary>The New York date the walk is on; null until it is first asked for one.</summary>
    public DateOnly? Session
    {
        get { lock (_random) return _session; }
    }

    /// <summary>The first New York date the walk was on: every earlier session is made up (see <see cref="PriceHistory"/>).</summary>
    public DateOnly? FirstSession
    {
        get { lock (_random) return _firstSession; }
    }

    /// <summary>The made-up prior session's close the walk started from, <see cref="PreviousClose"/> until its first new day.</summary>
    public decimal FirstPreviousClose { get; }

    /// <summary>The walk's typical daily move, as a fraction of the price (0.02 is 2 %): the options' volatility comes from it.</summary>
    public double DailyVolatility { get; } = 0.02;

    /// <summary>Shares the symbol trades on an average day.</summary>
    public long DailyVolume { get; } = 5_000_000;

    /// <summary>
    /// The day before <see cref="Session"/>, closing at <see cref="PreviousClose"/>: the day the walk ended, or, when it
    /// traded nothing that day or has not ended one yet, the session made up around that close (<see cref="MadeUpSession"/>,
    /// as <see cref="PriceHistory"/> serves it; before its first new day, dated the trading day before its first date).
    /// </summary>
    public DayBar PreviousDay
    {
        get
        {
            lock (_random)
            {
                if (_days.Count > 0 && _days[^1].Volume > 0) return _days[^1];
                var date = _days.Count > 0 ? _days[^1].Date : _firstSession is { } first ? MarketCalendar.PreviousTradingDay(first) : null;
                if (date is { } day) return MadeUpSession.Around(Symbol, Seed, day, _previousClose, DailyVolume, DailyVolatility);
                var spread = Math.Round(_previousClose * 0.015m, 2);
                var (high, low) = (_previousClose + spread, _previousClose - spread);
                return new DayBar(date, Math.Round(_previousClose - spread / 3, 2), high, low, _previousClose, DailyVolume,
                    Math.Round((high + low + _previousClose) / 3, 4), 500_000);
            }
        }
    }

    /// <summary>The day the walk was on at <paramref name="date"/> and has ended since, if it kept it.</summary>
    public bool TryGetDay(DateOnly date, out DayBar day)
    {
        lock (_random)
        {
            var i = LastDayAtOrBefore(date);
            day = i >= 0 ? _days[i] : default;
            return i >= 0 && _days[i].Date == date;
        }
    }

    /// <summary>
    /// The walk's price when <paramref name="date"/> ended, a date before <see cref="Session"/>: the close of the last day
    /// it was on up to then (it does not move on a date it is not asked for), <see cref="FirstPreviousClose"/> before its first.
    /// </summary>
    public decimal CloseOf(DateOnly date)
    {
        lock (_random)
        {
            var i = LastDayAtOrBefore(date);
            return i >= 0 ? _days[i].Close : FirstPreviousClose;
        }
    }

    /// <summary>Moves the walk to the New York date <paramref name="date"/> if it is on an earlier one, as its first event there would.</summary>
    public void RollTo(DateOnly date)
    {
        lock (_random) Roll(date);
    }

    /// <summary>Advances the walk by one window ending at <paramref name="endMs"/> and returns its aggregate.</summary>
    public PolygonAggregate Next(long endMs, long windowMs = 1000)
    {
        lock (_random)
        {
            var local = MarketCalendar.ToNewYork(DateTimeOffset.FromUnixTimeMilliseconds(endMs));
            Roll(DateOnly.FromDateTime(local));
            var open = _price;
            // A uniform step with the window's share of the daily volatility (its standard deviation is sigma).
            var sigma = DailyVolatility * Math.Sqrt(windowMs / SessionMs);
            var step = (decimal)((_random.NextDouble() - 0.5) * 2 * Math.Sqrt(3) * sigma);
            _exact = Math.Max(0.01m, _exact * (1m + step));
            var close = Math.Round(_exact, 2);
            var wick = open * (decimal)sigma;
            var high = Math.Max(open, close) + Math.Round((decimal)_random.NextDouble() * wick, 2);
            var low = Math.Max(0.01m, Math.Min(open, close) - Math.Round((decimal)_random.NextDouble() * wick, 2));
            var expected = IntradayVolume.Expected(DailyVolume, local.TimeOfDay, TimeSpan.FromMilliseconds(windowMs));
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
                OfficialOpen = _open,
                WindowVwap = vwap,
                Open = open,
                Close = close,
                High = high,
                Low = low,
                DayVwap = VwapSoFar(),
                AverageSize = volume / Math.Max(1, volume / 100),
                Start = endMs - windowMs,
                End = endMs,
            };
        }
    }

    /// <summary>The state of <see cref="Session"/> so far, for the snapshot endpoint; <c>LastEnd</c> is 0 until its first event.</summary>
    public (decimal Price, decimal Open, decimal High, decimal Low, long Volume, decimal Vwap, long LastEnd) Day
    {
        get
        {
            lock (_random)
                return (_price, _open, _high, _low, _accumulatedVolume, VwapSoFar(), _lastEnd);
        }
    }

    private decimal VwapSoFar() => _accumulatedVolume == 0 ? _price : Math.Round(_turnover / _accumulatedVolume, 4);

    /// <summary>Ends the day the walk is on if <paramref name="date"/> is later (the first date only sets it). Under the lock.</summary>
    private void Roll(DateOnly date)
    {
        if (_session is not { } session)
        {
            _session = _firstSession = date;
            return;
        }
        if (date <= session) return;

        _days.Add(new DayBar(session, _open, _high, _low, _price, _accumulatedVolume, VwapSoFar(), Math.Max(1, _accumulatedVolume / 100)));
        var oldest = date.AddDays(-KeptDays);
        _days.RemoveAll(d => d.Date < oldest);
        _previousClose = _price;
        // The overnight gap, as the first day's open has from its made-up close.
        _exact = Math.Max(0.01m, _exact * (1m + (decimal)((_random.NextDouble() - 0.5) * DailyVolatility)));
        _open = _price = _high = _low = Math.Round(_exact, 2);
        _accumulatedVolume = 0;
        _turnover = 0;
        // No event on the new day yet, as on the first: a snapshot stamps it when read, not with the last day's last event.
        _lastEnd = 0;
        _session = date;
    }

    /// <summary>The index of the last ended day at or before <paramref name="date"/>, or -1. Under the lock.</summary>
    private int LastDayAtOrBefore(DateOnly date)
    {
        var (lo, hi) = (0, _days.Count - 1);
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_days[mid].Date <= date) lo = mid + 1;
            else hi = mid - 1;
        }
        return hi;
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return hash;
    }
}
