using System.Threading.RateLimiting;

namespace Quotes.Simulator;

/// <summary>
/// Faults the simulator can inject, for tests and for operators rehearsing outages. All off by default; reachable from
/// code (<see cref="MarketSimulator.Faults"/>) and, when <see cref="SimulatorOptions.ControlEnabled"/>, over HTTP.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly object _lock = new();
    private readonly ConnectionLimitMode _configuredLimit;
    private TaskCompletionSource _running = NewOpenGate();

    private readonly int _configuredRestRate;

    public SimulatorFaults() : this(ConnectionLimitMode.Off) { }

    /// <param name="configuredLimit">The <see cref="SimulatorOptions.ConnectionLimit"/> to start with and to <see cref="Reset"/> to.</param>
    /// <param name="configuredRestRate">The <see cref="SimulatorOptions.RestRequestsPerSecond"/> to start with and to <see cref="Reset"/> to.</param>
    internal SimulatorFaults(ConnectionLimitMode configuredLimit, int configuredRestRate = 0)
    {
        _configuredLimit = configuredLimit;
        ConnectionLimit = configuredLimit;
        _configuredRestRate = configuredRestRate;
        RestRequestsPerSecond = configuredRestRate;
    }

    /// <summary>
    /// The account rule in force (<see cref="ConnectionLimitMode"/>). Not a fault but Polygon's normal behaviour; switchable
    /// here so a test can change it while connections are open. It applies from the next <c>auth</c> on: switching it
    /// evicts nobody by itself.
    /// </summary>
    public ConnectionLimitMode ConnectionLimit { get; set; }

    /// <summary>
    /// No data frame is sent on any connection (a market-wide halt, an exchange closure the calendar does not know):
    /// connections authenticate, subscribe and answer pings as usual.
    /// </summary>
    public bool Halted { get; set; }

    /// <summary>Every <c>auth</c> gets <c>auth_failed</c>.</summary>
    public bool RefuseAuth { get; set; }

    /// <summary>Right after <c>auth_success</c>: a <c>max_connections</c> status, then close 1008, as Polygon does to the extra connection of an account.</summary>
    public bool EvictAfterAuth { get; set; }

    /// <summary>With <see cref="EvictAfterAuth"/>: close 1008 without the <c>max_connections</c> frame first.</summary>
    public bool EvictSilently { get; set; }

    /// <summary>
    /// Frames sent right after every <c>auth_success</c>, before any data: what an upstream gone wrong might send
    /// (<see cref="PoisonedFrame"/>). Empty by default.
    /// </summary>
    public IReadOnlyList<PoisonedFrame> PoisonAfterAuth { get; set; } = [];

    /// <summary>Delay before every outbound frame.</summary>
    public TimeSpan FrameDelay { get; set; }

    /// <summary>
    /// Connections stay open but nothing moves in either direction: no data, no acks and no pongs, because the transport
    /// itself stops reading and writing.
    /// </summary>
    public bool Stalled
    {
        get { lock (_lock) return !_running.Task.IsCompleted; }
        set
        {
            lock (_lock)
            {
                if (value && _running.Task.IsCompleted) _running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                else if (!value) _running.TrySetResult();
            }
        }
    }

    private int _restFailures;
    private int _restFailureStatus = 503;
    private string _restFailurePath = "";

    /// <summary>
    /// Snapshots are refused as on a plan without them: every <c>/v2/snapshot/…</c> request is answered 403
    /// <c>NOT_AUTHORIZED</c>, until switched off.
    /// </summary>
    public bool SnapshotsRefused { get; set; }

    /// <summary>
    /// Grouped daily bars (<c>/v2/aggs/grouped/…</c>) are refused as on a plan without them: 403 <c>NOT_AUTHORIZED</c>,
    /// until switched off.
    /// </summary>
    public bool GroupedRefused { get; set; }

    /// <summary>True when the plan being played has no access to <paramref name="path"/> (<see cref="SnapshotsRefused"/>, <see cref="GroupedRefused"/>).</summary>
    internal bool PlanRefuses(string path) =>
        SnapshotsRefused && path.StartsWith("/v2/snapshot/", StringComparison.Ordinal) || GroupedRefused && path.StartsWith("/v2/aggs/grouped/", StringComparison.Ordinal);

    /// <summary>Delay before every REST answer (a slow provider).</summary>
    public TimeSpan RestDelay { get; set; }

    /// <summary>
    /// The next <paramref name="count"/> REST requests whose path contains <paramref name="pathContains"/> fail with
    /// <paramref name="status"/>: a transient outage (503), a rate limit (429), a refused key or plan (401/403).
    /// </summary>
    public void FailNextRestRequests(int count, int status = 503, string pathContains = "")
    {
        _restFailureStatus = status;
        _restFailurePath = pathContains;
        Volatile.Write(ref _restFailures, count);
    }

    internal bool TryTakeRestFailure(string path, out int status)
    {
        status = _restFailureStatus;
        if (!path.Contains(_restFailurePath, StringComparison.Ordinal)) return false;
        while (true)
        {
            var left = Volatile.Read(ref _restFailures);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref _restFailures, left - 1, left) == left) return true;
        }
    }

    private RateLimiter? _restRate;
    private int _restRequestsPerSecond;
    private long _restRateLimited;

    /// <summary>
    /// Polygon's plan limit: REST requests past this many in any one second (a sliding window) are answered 429 with
    /// <c>Retry-After</c>, as Polygon does. 0: no limit.
    /// </summary>
    public int RestRequestsPerSecond
    {
        get => Volatile.Read(ref _restRequestsPerSecond);
        set
        {
            lock (_lock)
            {
                _restRequestsPerSecond = Math.Max(0, value);
                var old = _restRate;
                _restRate = value <= 0 ? null : new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = value, Window = TimeSpan.FromSeconds(1), SegmentsPerWindow = 10, QueueLimit = 0, AutoReplenishment = true,
                });
                old?.Dispose();
            }
        }
    }

    /// <summary>REST requests answered 429 because of <see cref="RestRequestsPerSecond"/>.</summary>
    public long RestRateLimited => Interlocked.Read(ref _restRateLimited);

    /// <summary>False (and counted) when this request goes past <see cref="RestRequestsPerSecond"/>.</summary>
    internal bool TryTakeRestPermit()
    {
        RateLimiter? limiter;
        lock (_lock) limiter = _restRate;
        if (limiter is null) return true;
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired) return true;
        Interlocked.Increment(ref _restRateLimited);
        return false;
    }

    /// <summary>Completes when the transport may move data.</summary>
    internal Task WhenRunning() { lock (_lock) return _running.Task; }

    /// <summary>Every fault off; the connection limit back to the configured one.</summary>
    public void Reset()
    {
        RefuseAuth = EvictAfterAuth = EvictSilently = SnapshotsRefused = GroupedRefused = false;
        PoisonAfterAuth = [];
        ConnectionLimit = _configuredLimit;
        FrameDelay = TimeSpan.Zero;
        RestDelay = TimeSpan.Zero;
        Stalled = false;
        Halted = false;
        Volatile.Write(ref _restFailures, 0);
        RestRequestsPerSecond = _configuredRestRate;
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
