using System.Buffers;
using System.Numerics;
using Quotes.Contracts;

namespace Quotes.Actors.Outbox;

/// <summary>
/// What one WebSocket still has to send: control replies in order (bounded) and the newest encoded quote per symbol
/// (conflated, so at most one per held symbol). Written by the session actor and the node hub from any thread, drained by
/// the socket's single writer loop into one JSON-array frame. Memory stays bounded whatever the client does.
/// <para>
/// Quotes are the hot path: each held symbol owns a slot; offering a quote stores its bytes in the slot and sets the
/// slot's bit in a 64-bit dirty mask, lock-free, O(1) and allocation-free. A newer quote simply replaces an unsent one
/// (conflation), and the writer sends each dirty slot's latest bytes once.
/// </para>
/// </summary>
/// <param name="maxControlMessages">Control replies queued for a client that is not reading; past this the client is cut off
/// (<c>Limits:MaxPendingReplies</c>).</param>
public sealed class SessionOutbox(int maxControlMessages = SessionOutbox.MaxControlMessages)
{
    /// <summary>The protocol's bound on queued control replies (<see cref="ProtocolLimits.ContractPendingReplies"/>).</summary>
    public const int MaxControlMessages = ProtocolLimits.ContractPendingReplies;

    /// <summary>Symbols one outbox can carry at once (a connection holds at most 50).</summary>
    public const int MaxSymbols = 64;

    private readonly object _lock = new();
    private readonly Queue<byte[]> _control = new();
    private readonly SemaphoreSlim _ready = new(0, 1);
    private int _signalled;
    private volatile bool _completed;
    private long _conflated;

    private volatile Dictionary<string, int> _slotOf = new(StringComparer.Ordinal); // copy-on-write, read lock-free
    private long _used;                                     // slots taken (under _lock)
    private readonly byte[]?[] _latest = new byte[MaxSymbols][];
    private readonly byte[]?[] _sent = new byte[MaxSymbols][]; // writer only: what each slot last sent
    private readonly long[] _eventMs = new long[MaxSymbols];    // event time of each slot's latest live quote; 0 for a snapshot
    private long _reused;                                   // bit i: slot i was given to a symbol again, or its snapshot asked for again; the writer forgets what it sent there
    private long _dirty;                                    // bit i: slot i holds a quote not sent yet
    private long _owed;                                     // bit i: slot i's unsent quote is a snapshot; a newer one that replaces it must be one too

    /// <summary>The control queue overflowed: the client is not reading and must be closed (1008).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>A frame to send before closing a client that overflowed (Polygon clients get <c>slow_consumer</c>).</summary>
    public byte[]? OverflowNotice { get; init; }

    /// <summary>Set when the session ended the connection on purpose (e.g. <c>auth_timeout</c>): the close code and reason to send.</summary>
    public (int Code, string Reason)? CloseWith { get; private set; }

    /// <summary>Quotes replaced by a newer one for the same symbol before they were sent.</summary>
    public long Conflated => Interlocked.Read(ref _conflated);

    /// <summary>
    /// The event time (Unix ms) of the oldest live quote in the frame <see cref="DrainTo"/> wrote last; 0 when it held
    /// none (only replies or snapshots). Writer only: the socket writer measures end-to-end latency with it once per frame.
    /// </summary>
    public long OldestEventMs { get; private set; }

    /// <summary>Quotes waiting to be sent: never more than the symbols the client holds.</summary>
    public int PendingQuotes => BitOperations.PopCount((ulong)Interlocked.Read(ref _dirty));

    /// <summary>Control replies waiting to be sent: never more than the outbox's bound (<see cref="MaxControlMessages"/> unless lowered).</summary>
    public int PendingControl { get { lock (_lock) return _control.Count; } }

    /// <summary>Queues a control message; false (and <see cref="Overflowed"/>) when the queue is full or closed.</summary>
    public bool EnqueueControl(byte[] message)
    {
        lock (_lock)
        {
            if (_completed) return false;
            if (_control.Count >= maxControlMessages)
            {
                Overflowed = true;
                _completed = true;
                Wake();
                return false;
            }
            _control.Enqueue(message);
            Wake();
            return true;
        }
    }

    /// <summary>
    /// Offers <paramref name="symbol"/>'s snapshot (its first quote after <c>subscribed</c>, or one sent again), replacing any
    /// unsent older quote, and wakes the writer. Until it is sent, <see cref="OwesSnapshot"/> is true for its slot. Lock-free.
    /// </summary>
    /// <param name="again">the client asked for it again (a subscribe to a symbol it holds): it is sent even if it is the
    /// very quote the client was last sent, which the writer otherwise never sends twice in a row</param>
    public void OfferSnapshot(string symbol, byte[] encoded, bool again = false)
    {
        var slot = SlotFor(symbol);
        if (again && slot >= 0) Interlocked.Or(ref _reused, 1L << slot); // before the offer marks the slot dirty
        if (OfferQuote(slot, encoded, snapshot: true)) Wake();
    }

    /// <summary>
    /// True while the slot's unsent quote is a snapshot: an update that replaces it before the writer sends it must be offered
    /// as a snapshot too, or the client's first quote of the symbol would not be marked one. (Read racing a drain, it may say
    /// true for a snapshot just sent: the update then goes as a snapshot again, which the protocol allows.)
    /// </summary>
    public bool OwesSnapshot(int slot) => slot >= 0 && (Interlocked.Read(ref _owed) & (1L << slot)) != 0;

    /// <summary>
    /// The slot that carries <paramref name="symbol"/>'s quotes (taken if new), for <see cref="OfferQuote(int, byte[], long, bool)"/>;
    /// -1 when the outbox is closed or already carries <see cref="MaxSymbols"/> symbols.
    /// </summary>
    public int SlotFor(string symbol)
    {
        if (_completed) return -1;
        return _slotOf.TryGetValue(symbol, out var slot) ? slot : Allocate(symbol);
    }

    /// <summary>
    /// The fan-out's hot path: stores the newest encoded quote in a slot from <see cref="SlotFor"/>, replacing any unsent
    /// one. Lock-free, O(1), allocation-free, and it does not wake the writer: true means this offer gave the outbox its
    /// first pending quote, and the caller must <see cref="Wake"/> it (the hub does so once it has offered a whole batch,
    /// so a burst leaves as one frame per client). <paramref name="eventMs"/>: the quote's event time, for the end-to-end
    /// latency; 0 for a quote that is not live (ignored for a snapshot, which never counts).
    /// </summary>
    /// <param name="snapshot">the quote is a snapshot (<see cref="OfferSnapshot"/>)</param>
    public bool OfferQuote(int slot, byte[] encoded, long eventMs = 0, bool snapshot = false)
    {
        if (_completed || slot < 0) return false;
        if (snapshot) Interlocked.Or(ref _owed, 1L << slot); // before the quote can be seen: a drain clears only what it takes
        // A snapshot is not live: its event time (a quote remembered from before the symbol was let go can be hours old)
        // says nothing about how fast the node delivers, so it is left out of the latency whoever offers it.
        Volatile.Write(ref _eventMs[slot], snapshot ? 0 : eventMs);
        Volatile.Write(ref _latest[slot], encoded);
        var bit = 1L << slot;
        var before = Interlocked.Or(ref _dirty, bit);
        if ((before & bit) != 0) Interlocked.Increment(ref _conflated);
        return before == 0;
    }

    /// <summary>The client no longer holds <paramref name="symbol"/>: its slot (and any unsent quote in it) is freed.</summary>
    public void Forget(string symbol)
    {
        lock (_lock)
        {
            if (!_slotOf.TryGetValue(symbol, out var slot)) return;
            var slots = new Dictionary<string, int>(_slotOf, StringComparer.Ordinal);
            slots.Remove(symbol);
            _slotOf = slots;
            Interlocked.And(ref _dirty, ~(1L << slot));
            Interlocked.And(ref _owed, ~(1L << slot));
            Volatile.Write(ref _latest[slot], null);
            _used &= ~(1L << slot);
        }
    }

    private int Allocate(string symbol)
    {
        lock (_lock)
        {
            if (_slotOf.TryGetValue(symbol, out var existing)) return existing;
            if (_used == -1L) return -1; // more symbols than a connection may hold: the hub never does this
            var slot = BitOperations.TrailingZeroCount(~_used);
            _used |= 1L << slot;
            Interlocked.Or(ref _reused, 1L << slot); // before any offer can mark the slot dirty (the writer owns _sent)
            _slotOf = new Dictionary<string, int>(_slotOf, StringComparer.Ordinal) { [symbol] = slot };
            return slot;
        }
    }

    /// <summary>No more messages; the writer drains what is left and stops (closing with <paramref name="closeCode"/> when given).</summary>
    public void Complete(int? closeCode = null, string? reason = null)
    {
        lock (_lock)
        {
            if (closeCode is { } code && !_completed) CloseWith = (code, reason ?? "");
            _completed = true;
            Wake();
        }
    }

    /// <summary>Waits until there is something to send; false once completed and drained (or overflowed).</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        await _ready.WaitAsync(ct).ConfigureAwait(false);
        Volatile.Write(ref _signalled, 0);
        lock (_lock) return !Overflowed && (HasPending || !_completed);
    }

    /// <summary>
    /// Writes pending messages as one JSON array, control first, until <paramref name="maxBytes"/> is reached;
    /// what does not fit stays queued. Returns the number of messages written (0 writes nothing). Single writer only.
    /// </summary>
    public int DrainTo(IBufferWriter<byte> frame, int maxBytes = 64 * 1024)
    {
        var written = 0;
        var size = 1;
        lock (_lock)
        {
            while (_control.Count > 0 && (written == 0 || size + _control.Peek().Length < maxBytes))
                Append(frame, _control.Dequeue(), ref written, ref size);
        }

        var oldest = long.MaxValue;
        var dirty = Interlocked.Exchange(ref _dirty, 0);
        // The snapshots taken now are no longer owed; one offered from here on marks its slot again.
        var owed = Interlocked.And(ref _owed, ~dirty) & dirty;
        // After the dirty mask: a reused slot's mark is set before the slot can be dirty again.
        for (var reused = Interlocked.Exchange(ref _reused, 0); reused != 0; reused &= reused - 1)
            _sent[BitOperations.TrailingZeroCount(reused)] = null;
        while (dirty != 0)
        {
            var slot = BitOperations.TrailingZeroCount(dirty);
            var bytes = Volatile.Read(ref _latest[slot]);
            if (bytes is not null && !ReferenceEquals(bytes, _sent[slot]))
            {
                if (written > 0 && size + bytes.Length >= maxBytes)
                {
                    Interlocked.Or(ref _owed, owed & dirty); // the rest goes in the next frame, snapshots still owed
                    Interlocked.Or(ref _dirty, dirty);
                    break;
                }
                Append(frame, bytes, ref written, ref size);
                _sent[slot] = bytes;
                if (Volatile.Read(ref _eventMs[slot]) is > 0 and var eventMs && eventMs < oldest) oldest = eventMs;
            }
            dirty &= dirty - 1;
        }

        OldestEventMs = oldest == long.MaxValue ? 0 : oldest;
        if (written > 0) frame.Write("]"u8);
        if (HasPending || _completed) Wake();
        return written;
    }

    private bool HasPending
    {
        get
        {
            lock (_lock) return _control.Count > 0 || Interlocked.Read(ref _dirty) != 0;
        }
    }

    private static void Append(IBufferWriter<byte> frame, byte[] message, ref int written, ref int size)
    {
        frame.Write(written == 0 ? "["u8 : ","u8);
        frame.Write(message);
        written++;
        size += message.Length + 1;
    }

    /// <summary>Wakes the writer to send what is pending (at most one wake-up is outstanding).</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0) _ready.Release();
    }
}
