using System.Diagnostics;
namespace Quotes.Client;

/// <summary>What a request asks for.</summary>
internal enum RequestKind { Subscribe, Unsubscribe }

/// <summary>One <c>subscribe</c> or <c>unsubscribe</c> waiting for the server's answer (the reply carrying its id).</summary>
internal sealed class PendingRequest(long id, RequestKind kind, IReadOnlyList<string> symbols, long deadline = long.MaxValue)
{
    public long Id { get; } = id;

    /// <summary>
    /// Past this <see cref="Stopwatch"/> timestamp its caller has given up (its timeout), whether or not the timeout's
    /// continuation has run yet: a starved thread pool runs it late, and the sender must not send it meanwhile.
    /// </summary>
    public bool Expired => Stopwatch.GetTimestamp() >= deadline;
    public RequestKind Kind { get; } = kind;
    public IReadOnlyList<string> Symbols { get; } = symbols;

    /// <summary>The connection it was last sent on (0: none yet).</summary>
    public long SentOn { get; set; }

    public TaskCompletionSource<object> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public byte[] Encode() => Kind == RequestKind.Subscribe ? ClientCommandEncoder.Subscribe(Id, Symbols) : ClientCommandEncoder.Unsubscribe(Id, Symbols);
}

/// <summary>
/// Requests waiting for an answer, by id. Each goes out at most once per connection: at once when a connection is open,
/// else (and again, if a connection drops before the answer) when the next one says <c>welcome</c>; subscribing and
/// unsubscribing are idempotent, so sending again is safe.
/// </summary>
internal sealed class PendingRequests
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, PendingRequest> _byId = [];
    private long _lastId;

    /// <summary>A fresh id, also for requests nobody waits for (the resubscribe of a new connection).</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <param name="timeout">How long its caller waits for the answer (none, or infinite: no deadline).</param>
    public PendingRequest Add(RequestKind kind, IReadOnlyList<string> symbols, TimeSpan? timeout = null)
    {
        var deadline = timeout is not { } wait || wait < TimeSpan.Zero ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        var request = new PendingRequest(NextId(), kind, symbols, deadline);
        lock (_gate) _byId.Add(request.Id, request);
        return request;
    }

    public PendingRequest? Find(long id)
    {
        lock (_gate) return _byId.GetValueOrDefault(id);
    }

    public void Remove(PendingRequest request)
    {
        lock (_gate) _byId.Remove(request.Id);
    }

    /// <summary>True when <paramref name="request"/> is still waiting and was not sent on <paramref name="connection"/> yet (it now counts as sent).</summary>
    public bool TryMarkSent(PendingRequest request, long connection)
    {
        lock (_gate)
        {
            if (!_byId.ContainsKey(request.Id) || request.SentOn == connection) return false;
            request.SentOn = connection;
            return true;
        }
    }

    /// <summary>Every waiting request not yet sent on <paramref name="connection"/>, oldest first; they now count as sent.</summary>
    public IReadOnlyList<PendingRequest> TakeUnsent(long connection)
    {
        lock (_gate)
        {
            var unsent = _byId.Values.Where(r => r.SentOn != connection).ToList();
            foreach (var request in unsent) request.SentOn = connection;
            return unsent;
        }
    }

    public void FailAll(Exception error)
    {
        lock (_gate)
        {
            foreach (var request in _byId.Values) request.Reply.TrySetException(error);
            _byId.Clear();
        }
    }
}
