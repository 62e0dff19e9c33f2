using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;

using Quotes.Contracts.Polygon;

namespace Quotes.Simulator;

/// <summary>
/// The simulated market: one price walk per symbol, one clock that emits an aggregate per subscribed symbol per tick,
/// and the connections that receive them. A symbol's aggregate is built once per tick and shared by every connection.
/// The walk of a symbol outside the reference universe is no longer listed once no connection has held it for
/// <see cref="WalkIdleTime"/> (<see cref="IdleWalks"/>), and its history goes; the walk itself is kept until its New York
/// day is over (<see cref="ParkedWalks"/>), so a symbol subscribed again that day goes on from where it stood. A walk a
/// connection holds is never replaced.
/// </summary>
public sealed class MarketSimulator : IAsyncDisposable
{
    private const int MaxRecordedActions = 10_000;
    private const int MaxClosedConnections = 100;
    private const int MaxEventsPerFrame = 500; // keeps frames far below Polygon's 1 MB client cap
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, PriceWalk> _walks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, SimulatorConnection> _connections = new();
    private readonly ConcurrentQueue<string> _actions = new();
    private readonly ConcurrentQueue<ClosedConnectionReport> _closed = new();
    private readonly ConcurrentDictionary<string, int> _restCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _restQueries = new(StringComparer.Ordinal);
    /// <summary>Each listed walk's history: it goes when the walk is no longer listed, and is made again if it comes back.</summary>
    private readonly ConditionalWeakTable<PriceWalk, PriceHistory> _histories = new();
    private readonly IdleWalks _idleWalks = new(WalkIdleTime);
    private readonly ParkedWalks _parked = new();
    /// <summary>
    /// Taken by a subscription, by the sweep and to make a walk, so that no walk a connection holds is dropped and a
    /// parked walk comes back once.
    /// </summary>
    private readonly object _holding = new();
    private readonly AccountConnections _accounts = new();
    private readonly AccountIds _accountIds;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _clock;
    private int _connectionsOpened;
    private int _maxConcurrent;
    private int _evictions;
    private long _lastSweep;

    public MarketSimulator(SimulatorOptions options)
    {
        Options = options;
        Faults = new SimulatorFaults(options.ConnectionLimit, options.RestRequestsPerSecond);
        _accountIds = new AccountIds(options.ApiKeys);
        _clock = Task.Run(RunClockAsync);
    }

    public SimulatorOptions Options { get; }

    /// <summary>Faults to inject, and the account rule in force; see <see cref="SimulatorFaults"/>.</summary>
    public SimulatorFaults Faults { get; }

    /// <summary>Drops every open connection abruptly (no close frame), as a network failure would.</summary>
    public void DropAll()
    {
        foreach (var connection in _connections.Values) connection.Abort();
    }

    /// <summary>
    /// Sends every connection holding <paramref name="symbol"/> a late bar: an aggregate for a window that ended a minute ago,
    /// at <paramref name="price"/>. Polygon does this when it corrects old bars; it must never show as current.
    /// </summary>
    public void SendLate(string symbol, decimal price)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        var late = new PolygonAggregate
        {
            Symbol = symbol, Open = price, Close = price, High = price, Low = price, Volume = 100, AccumulatedVolume = 100,
            OfficialOpen = Walk(symbol).Open, WindowVwap = price, DayVwap = price, AverageSize = 100, Start = end - 1000, End = end,
        };
        var frame = PolygonFrames.Frame([JsonSerializer.SerializeToUtf8Bytes(late, PolygonWireJsonContext.Default.PolygonAggregate)]);
        foreach (var connection in _connections.Values.Where(c => c.Symbols().Contains(symbol))) connection.Send(frame);
    }

    /// <summary>Sends each open connection frames that are not valid Polygon events, between the good ones.</summary>
    public void SendMalformed()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Send("[{\"ev\":\"A\",\"sym\":\"AAPL\",\"c\":"u8.ToArray());
            connection.Send("not json at all"u8.ToArray());
            connection.Send("[{\"ev\":\"A\",\"sym\":42,\"c\":\"high\"}]"u8.ToArray());
            connection.Send("{\"ev\":\"status\"}"u8.ToArray());
        }
    }

    /// <summary>
    /// The walk of <paramref name="symbol"/>, created on first use, or taken back if it was parked (its day still going)
    /// since nobody held it (<see cref="ParkedWalks"/>).
    /// </summary>
    public PriceWalk Walk(string symbol) => _walks.TryGetValue(symbol, out var walk) ? walk : ListWalk(symbol);

    private PriceWalk ListWalk(string symbol)
    {
        lock (_holding) return _walks.GetOrAdd(symbol, s => _parked.TryTake(s, out var parked) ? parked : new PriceWalk(s, Options.Seed));
    }

    /// <summary>How long the walk of a symbol outside the reference universe is listed once no connection holds it.</summary>
    internal static TimeSpan WalkIdleTime { get; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A connection subscribed to <paramref name="symbol"/> (it is in its symbols already): its walk is made (or taken
    /// back from <see cref="ParkedWalks"/>) if the market lists none, and from now on the market lists it, over REST too,
    /// until nobody has held it for <see cref="WalkIdleTime"/>.
    /// </summary>
    internal void Hold(string symbol)
    {
        lock (_holding)
        {
            _idleWalks.Held(symbol);
            Walk(symbol);
        }
    }

    /// <summary>
    /// Stops listing the walks <see cref="IdleWalks"/> finds idle at <paramref name="nowMs"/> (the clock does it once a
    /// minute) and drops their histories; parks those whose New York day is still going and forgets the parked ones whose
    /// day is over. Under the lock a subscription takes, so a symbol a connection holds is either seen held or subscribed
    /// after its walk went, and then gets it back (or a new one) before its first event.
    /// </summary>
    internal void SweepIdleWalks(long nowMs)
    {
        var today = DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.FromUnixTimeMilliseconds(nowMs)));
        lock (_holding)
        {
            var held = _connections.Values.SelectMany(c => c.Symbols()).ToHashSet(StringComparer.Ordinal);
            foreach (var symbol in _idleWalks.Sweep(_walks.Keys, held, nowMs))
            {
                if (!_walks.TryRemove(symbol, out var walk)) continue;
                _histories.Remove(walk); // made again from the walk when asked: it holds nothing the walk does not
                _parked.Park(walk, today);
            }
            _parked.ForgetDaysBefore(today);
        }
    }

    public SimulatorReport Report() => new(
        Volatile.Read(ref _connectionsOpened),
        _connections.Values.OrderBy(c => c.Id).Select(c => c.Report()).ToList(),
        _actions.ToList(),
        new Dictionary<string, int>(_restCalls),
        Volatile.Read(ref _evictions),
        _closed.ToList());

    /// <summary>
    /// Raised once a connection is closed and in <see cref="SimulatorReport.RecentlyClosed"/>, on that connection's
    /// thread: lets a test wait for a close instead of polling the report. Handlers must be quick and must not throw.
    /// </summary>
    public event Action<ClosedConnectionReport>? ConnectionClosed;

    /// <summary>
    /// REST requests seen for <paramref name="path"/> (no query), e.g. <c>/v2/snapshot/locale/us/markets/stocks/tickers/AAPL</c>.
    /// Paths hold tickers and dates, so only the first <see cref="MaxRestPaths"/> are counted each on its own: a path first
    /// seen after them counts under its route, e.g. <c>/v2/snapshot/locale/us/markets/stocks/tickers/{ticker}</c>.
    /// </summary>
    public int RestCalls(string path) => _restCalls.GetValueOrDefault(path);

    /// <summary>The most request paths <see cref="RestCalls"/> counts one by one.</summary>
    internal const int MaxRestPaths = 10_000;

    /// <summary>The query strings REST requests carried (distinct, the first 10,000), e.g. to show that a parameter never reached the provider.</summary>
    public IReadOnlyCollection<string> RestQueries => _restQueries.Keys.ToList();

    /// <summary>Counts a REST request for <paramref name="path"/>, or for its <paramref name="route"/> once the paths are at their bound.</summary>
    internal void RecordRest(string path, string route, string? query = null)
    {
        var key = _restCalls.ContainsKey(path) || _restCalls.Count < MaxRestPaths ? path : route;
        _restCalls.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (!string.IsNullOrEmpty(query) && _restQueries.Count < 10_000) _restQueries.TryAdd(query, 0);
    }

    /// <summary>
    /// Symbols the simulated market lists: the reference universe plus any symbol streamed over the WebSocket (until nobody
    /// has held it for <see cref="WalkIdleTime"/>; a parked walk is not listed).
    /// </summary>
    public bool Knows(string symbol) => ReferenceTickers.TryGet(symbol, out _) || _walks.ContainsKey(symbol);

    /// <summary>The deterministic history of <paramref name="symbol"/>.</summary>
    public PriceHistory History(string symbol) => _histories.GetValue(Walk(symbol), walk => new PriceHistory(walk));

    /// <summary>The most connections that were ever open at the same time (one upstream per account: this should stay 1).</summary>
    public int MaxConcurrentConnections => Volatile.Read(ref _maxConcurrent);

    internal int Register(SimulatorConnection connection)
    {
        var id = Interlocked.Increment(ref _connectionsOpened);
        _connections[id] = connection;
        var open = _connections.Count;
        int max;
        while (open > (max = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, open, max) != max) { }
        return id;
    }

    internal void Unregister(int id)
    {
        _connections.TryRemove(id, out _);
        Release(id);
        _accountIds.Release(id); // after the account rule let it go: while it held the account, its key kept its number
    }

    /// <summary>
    /// The number naming <paramref name="key"/>'s account, which connection <paramref name="id"/> authenticated with, in
    /// reports and for the account rule; it stays the key's while the connection is open (see <see cref="AccountIds"/>).
    /// </summary>
    internal int AccountOf(int id, string key) => _accountIds.Take(id, key);

    /// <summary>Keys accepted without a key list that the market remembers: those of open connections.</summary>
    internal int UnlistedAccounts => _accountIds.UnlistedCount;

    /// <summary>
    /// Applies <see cref="SimulatorFaults.ConnectionLimit"/> to a connection that just authenticated as
    /// <paramref name="account"/>. Older holders it displaces are evicted here, under the lock, before the newcomer
    /// streams, so two connections of one account never both receive data.
    /// </summary>
    /// <returns>False when the newcomer itself must go (<see cref="ConnectionLimitMode.EvictNewer"/>).</returns>
    internal bool Admit(SimulatorConnection connection, int account)
    {
        lock (_accounts)
        {
            if (connection.Evicted) return false; // evicted while its auth was on the way: it holds nothing
            var evicted = _accounts.Admit(account, connection.Id, Faults.ConnectionLimit);
            foreach (var id in evicted)
                if (id != connection.Id && _connections.TryGetValue(id, out var older)) older.Evict(withMessage: true);
            return !evicted.Contains(connection.Id);
        }
    }

    /// <summary>The connection no longer holds its account: it closed, was evicted or failed a later <c>auth</c>.</summary>
    internal void Release(int id)
    {
        lock (_accounts) _accounts.Release(id);
    }

    internal void CountEviction() => Interlocked.Increment(ref _evictions);

    internal void RecordClosed(ClosedConnectionReport closed)
    {
        _closed.Enqueue(closed);
        while (_closed.Count > MaxClosedConnections && _closed.TryDequeue(out _)) { }
        ConnectionClosed?.Invoke(closed);
    }

    internal void Record(string action)
    {
        _actions.Enqueue(action);
        while (_actions.Count > MaxRecordedActions && _actions.TryDequeue(out _)) { }
    }

    private async Task RunClockAsync()
    {
        var period = TimeSpan.FromSeconds(1 / Math.Clamp(Options.EventsPerSecond, 0.01, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Tick();
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (now - _lastSweep < SweepInterval.TotalMilliseconds) continue;
                _lastSweep = now;
                SweepIdleWalks(now);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Tick()
    {
        if (Options.MarketState == Quotes.Contracts.MarketStates.Closed) return; // a closed market does not trade
        var connections = _connections.Values.Where(c => c.Authenticated).ToList();
        if (connections.Count == 0) return;

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (Options.StampSendTime)
        {
            TickStamped(connections, now);
            return;
        }
        var encoded = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            var events = new List<byte[]>();
            foreach (var symbol in connection.Symbols())
            {
                if (!encoded.TryGetValue(symbol, out var bytes))
                {
                    bytes = JsonSerializer.SerializeToUtf8Bytes(Walk(symbol).Next(now), PolygonWireJsonContext.Default.PolygonAggregate);
                    encoded[symbol] = bytes;
                }
                events.Add(bytes);
                if (events.Count == MaxEventsPerFrame)
                {
                    connection.Send(PolygonFrames.Frame(events));
                    events = [];
                }
            }
            if (events.Count > 0) connection.Send(PolygonFrames.Frame(events));
        }
    }

    private void TickStamped(List<SimulatorConnection> connections, long now)
    {
        var next = new Dictionary<string, PolygonAggregate>(StringComparer.Ordinal);
        foreach (var connection in connections)
            foreach (var chunk in connection.Symbols().Chunk(MaxEventsPerFrame))
                connection.SendStamped(chunk.Select(symbol => next.TryGetValue(symbol, out var a) ? a : next[symbol] = Walk(symbol).Next(now)).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _clock.ConfigureAwait(false);
        _stop.Dispose();
    }
}
