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

    public SimulatorFaults() : this(ConnectionLimitMode.Off) { }

    /// <param name="configuredLimit">The <see cref="SimulatorOptions.ConnectionLimit"/> to start with and to <see cref="Reset"/> to.</param>
    internal SimulatorFaults(ConnectionLimitMode configuredLimit)
    {
        _configuredLimit = configuredLimit;
        ConnectionLimit = configuredLimit;
    }

    /// <summary>
    /// The account rule in force (<see cref="ConnectionLimitMode"/>). Not a fault but Polygon's normal behaviour; switchable
    /// here so a test can change it while connections are open. It applies from the next <c>auth</c> on: switching it
    /// evicts nobody by itself.
    /// </summary>
    public ConnectionLimitMode ConnectionLimit { get; set; }

    /// <summary>Every <c>auth</c> gets <c>auth_failed</c>.</summary>
    public bool RefuseAuth { get; set; }

    /// <summary>Right after <c>auth_success</c>: a <c>max_connections</c> status, then close 1008, as Polygon does to the extra connection of an account.</summary>
    public bool EvictAfterAuth { get; set; }

    /// <summary>With <see cref="EvictAfterAuth"/>: close 1008 without the <c>max_connections</c> frame first.</summary>
    public bool EvictSilently { get; set; }

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

    /// <summary>Completes when the transport may move data.</summary>
    internal Task WhenRunning() { lock (_lock) return _running.Task; }

    /// <summary>Every fault off; the connection limit back to the configured one.</summary>
    public void Reset()
    {
        RefuseAuth = EvictAfterAuth = EvictSilently = false;
        ConnectionLimit = _configuredLimit;
        FrameDelay = TimeSpan.Zero;
        RestDelay = TimeSpan.Zero;
        Stalled = false;
        Volatile.Write(ref _restFailures, 0);
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
