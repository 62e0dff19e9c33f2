using System.Buffers;

namespace Quotes.Actors.Sessions;

/// <summary>
/// What one WebSocket still has to send: control replies in order (bounded) and the newest encoded quote per symbol
/// (conflated, so at most one per held symbol). Written by the session actor and the node hub from any thread, drained by
/// the socket's single writer loop into one JSON-array frame. Memory stays bounded whatever the client does.
/// </summary>
public sealed class SessionOutbox
{
    /// <summary>Control replies queued for a client that is not reading; past this the client is cut off.</summary>
    public const int MaxControlMessages = 256;

    private readonly object _lock = new();
    private readonly Queue<byte[]> _control = new();
    private readonly Dictionary<string, byte[]> _quotes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly SemaphoreSlim _ready = new(0, 1);
    private bool _signalled;
    private bool _completed;
    private long _conflated;

    /// <summary>The control queue overflowed: the client is not reading and must be closed (1008).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>A frame to send before closing a client that overflowed (Polygon clients get <c>slow_consumer</c>).</summary>
    public byte[]? OverflowNotice { get; init; }

    /// <summary>Set when the session ended the connection on purpose (e.g. <c>auth_timeout</c>): the close code and reason to send.</summary>
    public (int Code, string Reason)? CloseWith { get; private set; }

    /// <summary>Quotes replaced by a newer one for the same symbol before they were sent.</summary>
    public long Conflated => Interlocked.Read(ref _conflated);

    /// <summary>Quotes waiting to be sent: never more than the symbols the client holds.</summary>
    public int PendingQuotes { get { lock (_lock) return _order.Count; } }

    /// <summary>Control replies waiting to be sent: never more than <see cref="MaxControlMessages"/>.</summary>
    public int PendingControl { get { lock (_lock) return _control.Count; } }

    /// <summary>Queues a control message; false (and <see cref="Overflowed"/>) when the queue is full or closed.</summary>
    public bool EnqueueControl(byte[] message)
    {
        lock (_lock)
        {
            if (_completed) return false;
            if (_control.Count >= MaxControlMessages)
            {
                Overflowed = true;
                _completed = true;
                Signal();
                return false;
            }
            _control.Enqueue(message);
            Signal();
            return true;
        }
    }

    /// <summary>Offers the newest encoded quote for <paramref name="symbol"/>, replacing any unsent older one.</summary>
    public void OfferQuote(string symbol, byte[] encoded)
    {
        lock (_lock)
        {
            if (_completed) return;
            if (_quotes.ContainsKey(symbol)) Interlocked.Increment(ref _conflated);
            else _order.Add(symbol);
            _quotes[symbol] = encoded;
            Signal();
        }
    }

    /// <summary>No more messages; the writer drains what is left and stops (closing with <paramref name="closeCode"/> when given).</summary>
    public void Complete(int? closeCode = null, string? reason = null)
    {
        lock (_lock)
        {
            if (closeCode is { } code && !_completed) CloseWith = (code, reason ?? "");
            _completed = true;
            Signal();
        }
    }

    /// <summary>Waits until there is something to send; false once completed and drained (or overflowed).</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        await _ready.WaitAsync(ct).ConfigureAwait(false);
        lock (_lock)
        {
            _signalled = false;
            return !Overflowed && (HasPending || !_completed);
        }
    }

    /// <summary>
    /// Writes pending messages as one JSON array, control first, until <paramref name="maxBytes"/> is reached;
    /// what does not fit stays queued. Returns the number of messages written (0 writes nothing).
    /// </summary>
    public int DrainTo(IBufferWriter<byte> frame, int maxBytes = 64 * 1024)
    {
        lock (_lock)
        {
            var written = 0;
            var size = 1;
            while (_control.Count > 0 && (written == 0 || size + _control.Peek().Length < maxBytes))
            {
                var message = _control.Dequeue();
                Append(frame, message, ref written, ref size);
            }
            var taken = 0;
            while (taken < _order.Count && (written == 0 || size + _quotes[_order[taken]].Length < maxBytes))
            {
                var symbol = _order[taken++];
                Append(frame, _quotes[symbol], ref written, ref size);
                _quotes.Remove(symbol);
            }
            _order.RemoveRange(0, taken);
            if (written > 0) frame.Write("]"u8);
            if (HasPending || _completed) Signal();
            return written;
        }
    }

    private bool HasPending => _control.Count > 0 || _order.Count > 0;

    private static void Append(IBufferWriter<byte> frame, byte[] message, ref int written, ref int size)
    {
        frame.Write(written == 0 ? "["u8 : ","u8);
        frame.Write(message);
        written++;
        size += message.Length + 1;
    }

    private void Signal()
    {
        if (_signalled) return;
        _signalled = true;
        _ready.Release();
    }
}
