using System.Net.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Connections.Features;
using Quotes.Actors;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Actors.Telemetry;
using Quotes.Contracts.WebSockets;

namespace Quotes.Host.WebSockets;

/// <summary>
/// Runs one accepted client socket, whatever protocol it speaks: one reader loop here turns frames into messages for the
/// session actor, in order; one writer loop (<see cref="SocketWriter"/>) sends what the outbox holds. When the node stops,
/// the writer closes with 1001 and a client that never answers is dropped after a short grace. Connects and disconnects are
/// logged at Debug with the client key's id and the remote address, and counted per endpoint.
/// </summary>
public sealed class SocketPump
{
    /// <summary>What either protocol answers a binary frame: its messages are JSON text.</summary>
    public const string BinaryFrameRefusal = "binary frames are not supported; send UTF-8 JSON text";

    private SocketPump() { } // static members only; the type names the connections' log category (ILogger<SocketPump>)

    /// <summary>How long a stopping node waits for a client to answer its 1001 close.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A small kernel buffer makes a slow reader's sends block within seconds, so its outbox keeps the newest quote per
    /// symbol and the send timeout can close it, instead of the kernel queueing minutes of old quotes
    /// (<see cref="QuotesOptions.ClientSendBufferBytes"/>). Only on an HTTP/1.1 connection, which the WebSocket then has to
    /// itself: an HTTP/2 connection carries other requests too, and its flow control bounds each stream already.
    /// </summary>
    private static void LimitSendBuffer(HttpContext context, int bytes)
    {
        if (bytes <= 0 || !HttpProtocol.IsHttp11(context.Request.Protocol) || context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } tcp) return;
        try
        {
            tcp.SendBufferSize = bytes;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The connection is going already; the reader below sees it.
        }
    }

    public static async Task RunAsync(HttpContext context, WebSocket socket, SocketEndpoint endpoint, string keyId, SessionOutbox outbox, IActorRef session,
        int maxMessageBytes, Func<ReadOutcome, WebSocketMessageReader, object> toMessage, QuotesOptions settings, IHostApplicationLifetime lifetime, ILogger log)
    {
        var metrics = context.RequestServices.GetRequiredService<QuotesMetrics>();
        LimitSendBuffer(context, settings.ClientSendBufferBytes);
        var remote = context.Connection.RemoteIpAddress + ":" + context.Connection.RemotePort;
        metrics.Sockets.Opened(endpoint);
        log.LogDebug("Client connected to {Endpoint} from {Remote} with key {KeyId} as {Session}", context.Request.Path.Value, remote, keyId, session.Path.Name);
        var closeWait = context.RequestServices.GetRequiredService<Quotes.Contracts.ProtocolLimits>().CloseWait;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var peerEnded = SocketCloseReason.Client;
        var writer = SocketWriter.RunAsync(socket, outbox, settings.ClientSendTimeout, closeWait, metrics, lifetime.ApplicationStopping, log);
        using var drain = lifetime.ApplicationStopping.Register(() => reading.CancelAfter(CloseGrace));
        try
        {
            using var reader = new WebSocketMessageReader(socket, maxMessageBytes);
            while (await reader.ReadAsync(reading.Token) is var outcome && outcome != ReadOutcome.Closed)
                session.Tell(toMessage(outcome, reader));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away, sent something the WebSocket layer refuses (e.g. invalid UTF-8: 1007), or the node is stopping.
            if (await KeepAliveTimedOutAsync(socket)) peerEnded = SocketCloseReason.KeepAlive;
        }
        finally
        {
            context.RequestServices.GetRequiredService<ActorSystem>().Stop(session); // its PostStop completes the outbox; the hub forgets it
            outbox.Complete();
            var serverEnded = false;
            try
            {
                serverEnded = await writer;
            }
            finally
            {
                // Counted and left whatever the writer did, also if it threw: exactly one end per socket, and the open gauge back.
                if (!serverEnded) metrics.Sockets.End(peerEnded);
                metrics.Sockets.Left(endpoint);
                log.LogDebug("Client disconnected from {Endpoint} at {Remote} with key {KeyId} as {Session} ({Close} {CloseReason})", context.Request.Path.Value, remote,
                    keyId, session.Path.Name, socket.CloseStatus?.ToString() ?? "no close", socket.CloseStatusDescription);
            }
        }
    }

    /// <summary>
    /// Whether .NET's WebSocket keep-alive dropped the client (no pong within <c>Limits:PongTimeout</c>). The reader sees
    /// only an aborted connection; a receive on the aborted socket carries the keep-alive's own fault as its inner exception.
    /// </summary>
    private static async Task<bool> KeepAliveTimedOutAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.Aborted) return false;
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
            return false;
        }
        catch (WebSocketException e)
        {
            return e.InnerException is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted };
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }
}
