using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// A client of the AkkaQuotes WebSocket protocol (docs/PROTOCOL.md). One connection, kept up by itself: it reconnects
/// after any drop with jittered exponential backoff (the first step alone after a 1001, a node shutting down, unless 1001s keep coming with no connection that
/// stayed up 30 s between them; back to the first step only after a connection stayed up 30 s), subscribes again to every symbol the server confirmed, sends requests made
/// while disconnected once it is back, and pings a silent link.
/// Quotes come as <see cref="ReadQuotesAsync"/> enumerations and as the latest quote per symbol (<see cref="TryGetQuote"/>).
/// Events run on the client's receive loop: keep them short. A handler that throws does not affect the connection (the
/// exception is written to <see cref="Trace"/>).
/// </summary>
public sealed partial class QuotesClient : IAsyncDisposable, IDisposable
{
    private readonly QuotesClientOptions _options;
    private readonly SubscriptionSet _subscriptions = new();
    private readonly PendingRequests _requests = new();
    private readonly QuoteFeed _feed;
    private readonly ConcurrentDictionary<string, Quote> _latest = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Run? _run;
    private volatile ServerConnection? _open;
    private long _connections;
    private bool _disposed;

    public QuotesClient(QuotesClientOptions options)
    {
        options.Validate();
        _options = options;
        _feed = new QuoteFeed(options.QuoteBufferSize);
    }

    public ConnectionState State { get; private set; } = ConnectionState.Disconnected;

    /// <summary>The current (or last) connection's <c>welcome</c>: session id, node, symbol limit.</summary>
    public ServerMessages.Welcome? Session { get; private set; }

    /// <summary>The server's latest <c>status</c>: upstream, market, and feed (<c>simulator</c>: simulated prices, never market data).</summary>
    public ServerMessages.Status? Status { get; private set; }

    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    public event EventHandler<ServerMessages.Status>? StatusChanged;

    /// <summary>
    /// Server errors no request of this client waits for, e.g. a resubscribe refused after a reconnect: one refused with
    /// <c>CAPACITY</c>, <c>INTERNAL</c> or <c>RATE_LIMITED</c> is also sent again on the same connection, with backoff,
    /// while symbols are held; one refused with <c>INVALID_SYMBOL</c> or <c>SYMBOL_LIMIT</c> is not.
    /// </summary>
    public event EventHandler<QuotesClientException>? Error;

    /// <summary>
    /// The symbols the server confirmed holding for this client, less those <see cref="UnsubscribeAsync"/> was asked to
    /// release, in order; subscribed again on every new connection.
    /// </summary>
    public IReadOnlyList<string> Subscriptions => _subscriptions.Snapshot();

    /// <summary>
    /// Connects, retrying with backoff until the server says <c>welcome</c>; from then on the client stays connected by
    /// itself until disposed. A refused key throws <see cref="QuotesClientException"/> with <c>UNAUTHORIZED</c> at once.
    /// Cancelling gives up (back to <see cref="ConnectionState.Disconnected"/>; it may be called again).
    /// </summary>
    public async Task ConnectAsync(CancellationToken ct = default)
    {
        Run run;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (State == ConnectionState.Closed) throw new InvalidOperationException("the client is closed; create a new one");
            run = _run ??= Run.Start(this);
        }
        try
        {
            await run.Opened.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !run.Opened.Task.IsCompleted)
        {
            await StopRunAsync(run, graceful: false).ConfigureAwait(false);
            lock (_gate)
                if (_run == run) _run = null;
            SetState(new ConnectionStateChangedEventArgs(ConnectionState.Disconnected));
            throw;
        }
    }

    /// <summary>
    /// Subscribes to <paramref name="symbols"/> and returns the server's <c>subscribed</c>. A refusal throws
    /// <see cref="QuotesClientException"/> with the protocol's code (<c>SYMBOL_LIMIT</c> past 50 symbols,
    /// <c>INVALID_SYMBOL</c>, <c>CAPACITY</c>, …); nothing of a refused request is added. Made while disconnected, the
    /// request is sent once the connection is back (within <see cref="QuotesClientOptions.RequestTimeout"/>).
    /// </summary>
    public async Task<ServerMessages.Subscribed> SubscribeAsync(IEnumerable<string> symbols, CancellationToken ct = default) =>
        (ServerMessages.Subscribed)await RequestAsync(RequestKind.Subscribe, symbols, ct).ConfigureAwait(false);

    /// <summary>
    /// Unsubscribes from <paramref name="symbols"/> (those not held are ignored) and returns the server's
    /// <c>unsubscribed</c>. They leave <see cref="Subscriptions"/> and <see cref="TryGetQuote"/> at once, whatever the
    /// answer: one made while disconnected that times out (<see cref="TimeoutException"/>) is still honoured, as the next
    /// connection does not subscribe to them again.
    /// </summary>
    public async Task<ServerMessages.Unsubscribed> UnsubscribeAsync(IEnumerable<string> symbols, CancellationToken ct = default) =>
        (ServerMessages.Unsubscribed)await RequestAsync(RequestKind.Unsubscribe, symbols, ct).ConfigureAwait(false);

    /// <summary>
    /// Every quote of every held symbol from the enumeration's first <c>MoveNextAsync</c> on (start it before subscribing
    /// to see the snapshots; <see cref="TryGetQuote"/> has them anyway), across reconnects. Ends when the client is disposed (or with the
    /// error that closed it); cancelling <paramref name="ct"/> ends it with <see cref="OperationCanceledException"/>.
    /// Each enumeration buffers up to <see cref="QuotesClientOptions.QuoteBufferSize"/> quotes, then drops its oldest.
    /// </summary>
    public IAsyncEnumerable<Quote> ReadQuotesAsync(CancellationToken ct = default) => _feed.ReadAllAsync(ct);

    /// <summary>The latest quote received for <paramref name="symbol"/> while it is held.</summary>
    public bool TryGetQuote(string symbol, [MaybeNullWhen(false)] out Quote quote)
    {
        SymbolRules.TryNormalize(symbol, out var normal);
        return _latest.TryGetValue(normal, out quote);
    }

    /// <summary>The latest quote of each held symbol that has one.</summary>
    public IReadOnlyDictionary<string, Quote> LatestQuotes => new Dictionary<string, Quote>(_latest, StringComparer.Ordinal);

    /// <summary>Open <see cref="ReadQuotesAsync"/> enumerations.</summary>
    internal int QuoteReaders => _feed.Readers;

    /// <summary>Sockets opened so far (for specs: a reconnect storm shows here).</summary>
    internal long Connections => Interlocked.Read(ref _connections);

    private async Task<object> RequestAsync(RequestKind kind, IEnumerable<string> symbols, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (State == ConnectionState.Closed) throw new InvalidOperationException("the client is closed; create a new one");
        var request = _requests.Add(kind, [.. symbols], _options.RequestTimeout);
        if (kind == RequestKind.Unsubscribe)
            foreach (var symbol in _subscriptions.Release(request.Symbols)) _latest.TryRemove(symbol, out _);
        try
        {
            if (_open is { } connection && _requests.TryMarkSent(request, connection.Number)) SendInTurn(connection, request);
            return await request.Reply.Task.WaitAsync(_options.RequestTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server did not answer the {kind.ToString().ToLowerInvariant()} within {_options.RequestTimeout}");
        }
        finally
        {
            _requests.Remove(request);
        }
    }

    private void SetState(ConnectionStateChangedEventArgs change)
    {
        State = change.State;
        Raise(StateChanged, change);
    }

    /// <summary>
    /// Calls each handler of an event in turn. A handler that throws is a bug of the application, not of the connection:
    /// letting it escape would end the connection loop (no reconnect ever again) or count as a connection error (a
    /// reconnect storm), so its exception is written to <see cref="Trace"/> and the client goes on with the next handler.
    /// </summary>
    private void Raise<T>(EventHandler<T>? handlers, T args)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e)
            {
                Trace.TraceError($"a {nameof(QuotesClient)} handler of {typeof(T).Name} threw; the client goes on: {e}");
            }
        }
    }

    /// <summary>
    /// <see cref="DisposeAsync"/>, waited for: for a container disposed synchronously (<c>using var provider = …</c>). The
    /// close waits at most about twice the close grace, and nothing in it needs the caller's synchronization context.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the socket (a normal close, 1000), stops reconnecting, ends every enumeration and fails waiting requests.</summary>
    public async ValueTask DisposeAsync()
    {
        Run? run;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            run = _run;
        }
        var disposed = new ObjectDisposedException(nameof(QuotesClient));
        if (run is not null)
        {
            await StopRunAsync(run, graceful: true).ConfigureAwait(false);
            run.Opened.TrySetException(disposed); // a ConnectAsync still waiting for the first welcome
        }
        _requests.FailAll(disposed);
        _feed.Complete();
        if (State != ConnectionState.Closed) SetState(new ConnectionStateChangedEventArgs(ConnectionState.Closed));
    }
}
