using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Contracts.WebSockets;

namespace Quotes.Client;

/// <summary>The connection loop: connect, read frames and dispatch them, keep the link alive, reconnect.</summary>
public sealed partial class QuotesClient
{
    /// <summary>How long a closing client waits for the server to answer its close frame.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>One run of the connection loop, from <see cref="ConnectAsync"/> until it is given up or the client is disposed.</summary>
    private sealed class Run
    {
        public CancellationTokenSource Stop { get; } = new();
        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Loop { get; private set; } = Task.CompletedTask;
        public volatile bool Closing;

        public static Run Start(QuotesClient client)
        {
            var run = new Run();
            run.Loop = Task.Run(() => client.RunAsync(run));
            return run;
        }
    }

    /// <summary>
    /// Runs the loop; a fault of the loop itself (a connection's errors are handled inside it) closes the client with that
    /// error, so that <see cref="ConnectAsync"/>, waiting requests and quote enumerations end with it instead of waiting
    /// for a loop that is gone.
    /// </summary>
    private async Task RunAsync(Run run)
    {
        try
        {
            await ConnectAndReconnectAsync(run).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CloseForGood(run, e);
        }
    }

    private async Task ConnectAndReconnectAsync(Run run)
    {
        var backoff = new ReconnectBackoff(_options.MinReconnectDelay, _options.MaxReconnectDelay);
        var stop = run.Stop.Token;
        while (!run.Closing)
        {
            SetState(new ConnectionStateChangedEventArgs(ConnectionState.Connecting));
            WebSocketCloseStatus? closed = null;
            Exception? error = null;
            try
            {
                closed = await ConnectOnceAsync(run, backoff, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (QuotesClientException e) when (e.Code == ErrorCodes.Unauthorized)
            {
                CloseForGood(run, e);
                return;
            }
            catch (Exception e)
            {
                error = e; // refused, reset, timed out, a broken frame: all mean "connect again"
            }
            if (run.Closing) break;

            // 1001: the node is going away and any other will do: the first step, jittered (one up per 1001 in a row).
            var delay = closed == WebSocketCloseStatus.EndpointUnavailable ? backoff.AfterGoingAway(Now()) : backoff.Next(Now());
            SetState(new ConnectionStateChangedEventArgs(ConnectionState.Reconnecting, delay, closed, error));
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One connection, from the upgrade until it ends; returns the server's close code, if it sent one.</summary>
    private async Task<WebSocketCloseStatus?> ConnectOnceAsync(Run run, ReconnectBackoff backoff, CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer " + _options.ApiKey);
        _options.ConfigureSocket?.Invoke(socket.Options);
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            attempt.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(_options.Url!, attempt.Token).ConfigureAwait(false);
            }
            catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.Unauthorized)
            {
                throw new QuotesClientException(ErrorCodes.Unauthorized, "the server refused the client key");
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new TimeoutException($"no connection within {_options.ConnectTimeout}");
            }
        }

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var resubscription = new Resubscription(new ReconnectBackoff(_options.MinReconnectDelay, _options.MaxReconnectDelay));
        var connection = new ServerConnection(socket, Interlocked.Increment(ref _connections), resubscription, ended.Token);
        var keepAlive = new KeepAlive(_options.PingInterval, _options.PingTimeout, Now());
        var pinging = KeepAliveAsync(connection, keepAlive, ended.Token);
        try
        {
            using var reader = new WebSocketMessageReader(socket, _options.MaxFrameBytes);
            while (await reader.ReadAsync(stop).ConfigureAwait(false) is var outcome && outcome != ReadOutcome.Closed)
            {
                if (outcome == ReadOutcome.TooLarge) throw new InvalidDataException($"a server frame was over {_options.MaxFrameBytes} bytes");
                keepAlive.Heard(Now());
                if (reader.MessageType != WebSocketMessageType.Text) continue; // the protocol sends text only
                foreach (var message in ServerFrameParser.Parse(reader.Message))
                    Dispatch(message, connection, run, backoff);
            }
            if (socket.State == WebSocketState.CloseReceived)
                await connection.TryCloseAsync(WebSocketCloseStatus.NormalClosure, "", CloseGrace).ConfigureAwait(false); // answer the server's close
            return socket.CloseStatus;
        }
        catch (Exception e) when (connection.DroppedBecause is { } reason && !stop.IsCancellationRequested)
        {
            throw new TimeoutException(reason.Message, e);
        }
        finally
        {
            Interlocked.CompareExchange(ref _open, null, connection);
            await ended.CancelAsync().ConfigureAwait(false);
            await pinging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Dispatch(object message, ServerConnection connection, Run run, ReconnectBackoff backoff)
    {
        switch (message)
        {
            case Quote quote:
                // A quote of a symbol released meanwhile (on its way before the release, or the release refused) is dropped.
                if (!_subscriptions.Holds(quote.Symbol)) break;
                _latest[quote.Symbol] = quote;
                _feed.Publish(quote);
                break;
            case ServerMessages.Welcome welcome:
                OnWelcome(welcome, connection, run, backoff);
                break;
            case ServerMessages.Status status:
                Status = status;
                Raise(StatusChanged, status);
                break;
            case ServerMessages.Subscribed subscribed when IdOf(subscribed.Id) is { } resubscribed && resubscribed == connection.Resubscription.Id:
                // The resubscribe named what was held when it went out: a symbol the caller released since stays released,
                // here and on the server (the release may have reached the server first).
                if (_subscriptions.NotHeld(subscribed.Symbols) is { Count: > 0 } released)
                    SendInTurn(connection, ClientCommandEncoder.Unsubscribe(_requests.NextId(), released));
                break;
            case ServerMessages.Subscribed subscribed:
                _subscriptions.Confirmed(subscribed.Symbols);
                RequestOf(subscribed.Id)?.Reply.TrySetResult(subscribed);
                break;
            case ServerMessages.Unsubscribed unsubscribed:
                _subscriptions.Released(unsubscribed.Symbols);
                foreach (var symbol in unsubscribed.Symbols) _latest.TryRemove(symbol, out _);
                RequestOf(unsubscribed.Id)?.Reply.TrySetResult(unsubscribed);
                break;
            case ServerMessages.Error error when RequestOf(error.Id) is { } request:
                request.Reply.TrySetException(QuotesClientException.From(error));
                break;
            case ServerMessages.Error error:
                if (IdOf(error.Id) is { } id && id == connection.Resubscription.Id && connection.Resubscription.Refused(error.Code, Now()) is { } delay)
                    _ = ResubscribeLaterAsync(connection, delay);
                Raise(Error, QuotesClientException.From(error));
                break;
        }
    }

    /// <summary>
    /// A new connection is usable: subscribe again to everything held, then send what waited (oldest first), and only
    /// then let requests go out directly, so that none overtakes the resubscribe. All of it is handed to the connection in
    /// that order without waiting for it to go out (past the command budget it goes out in its turn), so the reader reads on.
    /// </summary>
    private void OnWelcome(ServerMessages.Welcome welcome, ServerConnection connection, Run run, ReconnectBackoff backoff)
    {
        Session = welcome;
        connection.Follow(welcome); // before anything is handed over: the resubscribe goes out at the server's pace too
        backoff.Opened(Now()); // not a reset: only a connection that stays up earns the first step again
        Resubscribe(connection);
        foreach (var request in _requests.TakeUnsent(connection.Number)) SendInTurn(connection, request);
        _open = connection;
        foreach (var request in _requests.TakeUnsent(connection.Number)) SendInTurn(connection, request);
        SetState(new ConnectionStateChangedEventArgs(ConnectionState.Open));
        run.Opened.TrySetResult();
    }

    /// <summary>
    /// Sends the refused resubscribe again after <paramref name="delay"/>, for what is held by then (symbols released
    /// meanwhile are left out; nothing held, nothing sent), unless the connection is over: the next one subscribes anyway.
    /// </summary>
    private async Task ResubscribeLaterAsync(ServerConnection connection, TimeSpan delay)
    {
        await Task.Delay(delay, connection.Ended).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (connection.Ended.IsCancellationRequested || _open != connection) return;
        Resubscribe(connection);
    }

    /// <summary>
    /// Subscribes <paramref name="connection"/> to everything held now (nothing held, nothing sent), as its resubscribe. A
    /// server that holds fewer symbols per connection than are held (its <c>welcome.maxSymbols</c>, lowered by its operator)
    /// would refuse the whole request with <c>SYMBOL_LIMIT</c> and hold none: the first that fit (in symbol order) are
    /// subscribed, the rest released, and <see cref="Error"/> names them.
    /// </summary>
    private void Resubscribe(ServerConnection connection)
    {
        var held = _subscriptions.Snapshot();
        if (held.Count == 0) return;
        var max = Session?.MaxSymbols is >= 1 and var announced ? announced : SymbolRules.MaxPerConnection; // as the JS client reads it
        if (held.Count > max)
        {
            var dropped = held.Skip(max).ToList();
            _subscriptions.Released(dropped);
            foreach (var symbol in dropped) _latest.TryRemove(symbol, out _);
            held = held.Take(max).ToList();
            Raise(Error, new QuotesClientException(ErrorCodes.SymbolLimit,
                $"this server holds at most {max} symbols per connection: {dropped.Count} held ones were let go", dropped));
        }
        var id = _requests.NextId();
        connection.Resubscription.Sent(id);
        SendInTurn(connection, ClientCommandEncoder.Subscribe(id, held));
    }

    private async Task KeepAliveAsync(ServerConnection connection, KeepAlive keepAlive, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var step = keepAlive.Next(Now());
            if (step.Action == KeepAliveAction.Reconnect)
            {
                // The reader fails, and the loop connects again.
                connection.Drop(new TimeoutException($"no message within {_options.PingTimeout} of a ping, after {_options.PingInterval} of silence"));
                return;
            }
            if (step.Action == KeepAliveAction.SendPing) await TrySendAsync(connection, ClientCommandEncoder.Ping()).ConfigureAwait(false);
            await Task.Delay(step.Wait, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Hands <paramref name="message"/> to the connection to go out in its turn, without waiting for it (the reader must
    /// read on meanwhile, and a request's timeout runs from its call, not from its send).
    /// </summary>
    private static void SendInTurn(ServerConnection connection, byte[] message) => _ = TrySendAsync(connection, message);

    /// <summary>
    /// Sends <paramref name="request"/> in its turn, unless it is a subscribe its caller has given up on by then (timed out
    /// or cancelled while it waited): the server would hold symbols nobody here asked for. An unsubscribe goes out
    /// regardless: its symbols were let go at the call.
    /// </summary>
    private void SendInTurn(ServerConnection connection, PendingRequest request) =>
        _ = TrySendAsync(connection, request.Encode(), () => request.Kind == RequestKind.Unsubscribe || (!request.Expired && _requests.Find(request.Id) is not null));

    /// <summary>Sends, or finds the connection going: then the reader ends it, and what was not answered goes out again on the next.</summary>
    private static async Task TrySendAsync(ServerConnection connection, byte[] message, Func<bool>? stillWanted = null)
    {
        try
        {
            await connection.SendAsync(message, stillWanted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private PendingRequest? RequestOf(JsonElement? id) => IdOf(id) is { } value ? _requests.Find(value) : null;

    /// <summary>The numeric id a reply carries (the client sends only numeric ones).</summary>
    private static long? IdOf(JsonElement? id) =>
        id is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var value) ? value : null;

    /// <summary>The server refused the key, or the loop failed: no reconnect, waiting requests and enumerations end with that error.</summary>
    private void CloseForGood(Run run, Exception error)
    {
        // Closed first: a caller that catches ConnectAsync's exception (or a request's) reads State as Closed.
        SetState(new ConnectionStateChangedEventArgs(ConnectionState.Closed, error: error));
        run.Opened.TrySetException(error);
        _requests.FailAll(error);
        _feed.Complete(error);
    }

    private async Task StopRunAsync(Run run, bool graceful)
    {
        run.Closing = true;
        if (graceful && _open is { } connection && await connection.TryCloseAsync(WebSocketCloseStatus.NormalClosure, "client closed", CloseGrace).ConfigureAwait(false))
            await run.Loop.WaitAsync(CloseGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // the reader sees the server's answer
        await run.Stop.CancelAsync().ConfigureAwait(false);
        await run.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static TimeSpan Now() => TimeSpan.FromMilliseconds(Environment.TickCount64);
}
