using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// One open WebSocket to the server, numbered so that requests know whether they went out on it. Commands go out in the
/// order they were handed over, one at a time (a WebSocket allows one send beside one receive), and within the
/// connection's command budget (<see cref="CommandBudget"/>: the one its welcome announced, once <see cref="Follow"/> has
/// it). Sends never take a caller's token: cancelling a WebSocket send aborts the socket, which must not happen because
/// one caller gave up waiting.
/// </summary>
internal sealed class ServerConnection
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Channel<(byte[] Message, Func<bool>? StillWanted, TaskCompletionSource Sent)> _outbox =
        Channel.CreateUnbounded<(byte[], Func<bool>?, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private volatile CommandBudget _budget = CommandBudget.Default;
    private CommandBudget _paced = CommandBudget.Default; // the budget the sender paces by; only the sender touches it
    private double _tokens = CommandBudget.Default.Burst; // the budget as of _tokensAt; only the sender touches them
    private long _tokensAt = Stopwatch.GetTimestamp();

    public ServerConnection(ClientWebSocket socket, long number, Resubscription resubscription, CancellationToken ended)
    {
        Socket = socket;
        Number = number;
        Resubscription = resubscription;
        Ended = ended;
        ended.Register(() => _outbox.Writer.TryComplete());
        _ = Task.Run(PumpAsync); // ends with the connection; it fails nothing it is handed unawares
    }

    public long Number { get; }
    public ClientWebSocket Socket { get; }

    /// <summary>The subscribe of every held symbol sent on this connection's <c>welcome</c>, and its retries.</summary>
    public Resubscription Resubscription { get; }

    /// <summary>Cancelled once the connection is over: what waits to be sent on it (a resubscribe to retry) gives up.</summary>
    public CancellationToken Ended { get; }

    /// <summary>Why the client dropped this connection itself, if it did.</summary>
    public Exception? DroppedBecause { get; private set; }

    /// <summary>
    /// Paces what is sent from now on under the budget <paramref name="welcome"/> announced (the defaults for what it left
    /// out); called before the welcome's resubscribe is handed over, so that goes out at that pace too.
    /// </summary>
    public void Follow(ServerMessages.Welcome welcome) => _budget = CommandBudget.Under(welcome.CommandsPerSecond, welcome.CommandBurst);

    /// <summary>Drops the connection at once (the reader fails with <paramref name="reason"/>).</summary>
    public void Drop(Exception reason)
    {
        DroppedBecause = reason;
        Socket.Abort();
    }

    /// <summary>
    /// Hands <paramref name="message"/> over to be sent after those handed over before it (its place is taken before this
    /// returns, so callers that do not wait still keep their order); completes once it is sent, or once its turn came and
    /// <paramref name="stillWanted"/> said no (a request its caller gave up on while it waited: it spends no budget), or
    /// fails with <see cref="OperationCanceledException"/> when the connection ends first.
    /// </summary>
    public Task SendAsync(byte[] message, Func<bool>? stillWanted = null)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outbox.Writer.TryWrite((message, stillWanted, sent))) sent.TrySetCanceled(new CancellationToken(true));
        return sent.Task;
    }

    /// <summary>Sends what is handed over, in order, as the command budget allows; what is left when the connection ends fails.</summary>
    private async Task PumpAsync()
    {
        try
        {
            await foreach (var (message, stillWanted, sent) in _outbox.Reader.ReadAllAsync(Ended).ConfigureAwait(false))
            {
                try
                {
                    await WaitForBudgetAsync().ConfigureAwait(false);
                    if (stillWanted?.Invoke() != false) // one its caller gave up on meanwhile is dropped, spending nothing
                    {
                        Ended.ThrowIfCancellationRequested(); // nothing goes out on a connection that is over
                        _tokens -= 1;
                        await SendNowAsync(message).ConfigureAwait(false);
                    }
                    sent.TrySetResult();
                }
                catch (Exception e)
                {
                    sent.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        // The token is cancelled before the callback that completes the outbox runs: close it here too, so that nothing
        // handed over from now on waits for a sender that is gone.
        _outbox.Writer.TryComplete();
        while (_outbox.Reader.TryRead(out var left)) left.Sent.TrySetCanceled(Ended);
    }

    /// <summary>Waits until the budget has a command in it (it refills at the budget's rate, up to its burst); takes nothing.</summary>
    private async Task WaitForBudgetAsync()
    {
        while (true)
        {
            var budget = _budget;
            if (budget != _paced)
            {
                // The welcome's budget: a larger burst adds its difference (the server counts a new connection from its full
                // burst); a smaller one caps what is left below.
                _tokens += Math.Max(0, budget.Burst - _paced.Burst);
                _paced = budget;
            }
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(budget.Burst, _tokens + Stopwatch.GetElapsedTime(_tokensAt, now).TotalSeconds * budget.PerSecond);
            _tokensAt = now;
            if (_tokens >= 1) return;
            await Task.Delay(TimeSpan.FromSeconds((1 - _tokens) / budget.PerSecond), Ended).ConfigureAwait(false);
        }
    }

    private async Task SendNowAsync(byte[] message)
    {
        await _sending.WaitAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(SendTimeout); // a server that reads nothing: the socket is aborted
            await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends the close frame (the reader then gets the server's answer and ends); false when that was not possible.</summary>
    public async Task<bool> TryCloseAsync(WebSocketCloseStatus status, string reason, TimeSpan wait)
    {
        if (Socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return false;
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _sending.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            await Socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sending.Release();
        }
    }
}
