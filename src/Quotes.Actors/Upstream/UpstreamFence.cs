using System.Diagnostics;

namespace Quotes.Actors.Upstream;

/// <summary>
/// Whether this process may still send on its Polygon connection. A node frozen long enough (a container freeze, a long
/// GC pause, SIGSTOP) may have been downed by the others, and a new holder may already use the account's one connection:
/// when the process resumes it must not send a single frame before it knows more.
/// <para>
/// A watch thread beats every <see cref="BeatInterval"/>; each beat that follows the previous one closely enough extends the
/// send permit by <see cref="Validity"/>. A beat that comes after a gap longer than <see cref="FreezeGap"/> trips the
/// fence instead: the permit is never renewed across a freeze, so after one longer than <see cref="Validity"/> every send
/// is refused even before the watch thread has run again, and when it does it aborts the socket (no close frame). The
/// fence stays tripped until the owner re-arms it (the cluster still counts this node, see <see cref="UpstreamActor"/>)
/// or closes it for good (hand-over, this node downed or removed).
/// </para>
/// </summary>
public sealed class UpstreamFence : IDisposable
{
    public static readonly TimeSpan BeatInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A gap between beats past this is a freeze. Far below the ~6 s the cluster needs to down a silent node.</summary>
    public static readonly TimeSpan FreezeGap = TimeSpan.FromSeconds(1.5);

    /// <summary>How long one beat permits sending.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromSeconds(1.5);

    private readonly object _lock = new();
    private readonly Func<long> _now;
    private readonly Action<TimeSpan>? _onTrip;
    private Action? _abort;
    private long _lastBeat;
    private long _permitUntil;
    private bool _tripped;
    private bool _closed;
    private Thread? _watch;

    /// <param name="now">Monotonic time (Stopwatch ticks); tests pass their own clock.</param>
    /// <param name="onTrip">Told the length of the freeze when the fence trips (the owner's actor).</param>
    public UpstreamFence(Func<long>? now = null, Action<TimeSpan>? onTrip = null)
    {
        _now = now ?? Stopwatch.GetTimestamp;
        _onTrip = onTrip;
        _lastBeat = _now();
        _permitUntil = _lastBeat + Ticks(Validity);
    }

    public bool IsTripped { get { lock (_lock) return _tripped || _closed; } }

    private bool IsClosed { get { lock (_lock) return _closed; } }

    /// <summary>Starts the watch thread (production); specs call <see cref="Beat"/> themselves.</summary>
    public UpstreamFence StartWatch()
    {
        _watch = new Thread(() =>
        {
            while (!IsClosed)
            {
                Beat();
                Thread.Sleep(BeatInterval);
            }
        })
        { IsBackground = true, Name = "upstream-fence" };
        _watch.Start();
        return this;
    }

    /// <summary>One beat of the watch: renews the permit, or trips the fence when it comes after a freeze.</summary>
    public void Beat()
    {
        Action? abort;
        TimeSpan gap;
        lock (_lock)
        {
            var now = _now();
            gap = Stopwatch.GetElapsedTime(_lastBeat, now);
            _lastBeat = now;
            if (_closed) return;
            if (gap <= FreezeGap)
            {
                if (!_tripped) _permitUntil = now + Ticks(Validity);
                return;
            }
            if (_tripped) return;
            _tripped = true;
            _permitUntil = 0;
            (abort, _abort) = (_abort, null);
        }
        abort?.Invoke();
        _onTrip?.Invoke(gap);
    }

    /// <summary>True while a send may go out now. Checked by the connection before every frame it writes.</summary>
    public bool MaySend()
    {
        lock (_lock) return !_tripped && !_closed && _now() < _permitUntil;
    }

    /// <summary>What cuts the current connection when the fence trips or closes (its socket's abort); replaces the previous one.</summary>
    public void Guard(Action abort)
    {
        lock (_lock) _abort = abort;
    }

    /// <summary>The cluster still counts this node: sending may resume now (the permit starts afresh).</summary>
    public void Rearm()
    {
        lock (_lock)
        {
            if (_closed) return;
            _tripped = false;
            _lastBeat = _now();
            _permitUntil = _lastBeat + Ticks(Validity);
        }
    }

    /// <summary>For good: this node no longer holds the upstream. Cuts whatever is registered.</summary>
    public void Close()
    {
        Action? abort;
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            _permitUntil = 0;
            (abort, _abort) = (_abort, null);
        }
        abort?.Invoke();
    }

    public void Dispose() => Close();

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
