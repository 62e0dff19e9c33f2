using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Quotes.Actors;
using Quotes.Actors.Fanout;
using Quotes.Actors.Sessions;
using Quotes.Contracts;
using Quotes.Contracts.WebSockets;
using Quotes.Host.Auth;

namespace Quotes.Host.WebSockets;

/// <summary>
/// The client WebSocket (<c>/ws</c>, alias <c>/api/socket</c>, PROTOCOL.md). One reader loop here parses frames and hands
/// them, in order, to the session actor; one writer loop (<see cref="SocketWriter"/>) sends what the outbox holds.
/// </summary>
public static class QuoteSocketEndpoint
{
    /// <summary>How long one frame may wait on a client that reads nothing (PROTOCOL.md: 30 s).</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopping node waits for a client to answer its 1001 close.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapQuoteSockets(this IEndpointRouteBuilder app)
    {
        OriginPolicy.RequireAllowedOrigin(app.Map("/ws", HandleAsync).RequireClientKey());
        OriginPolicy.RequireAllowedOrigin(app.Map("/api/socket", HandleAsync).RequireClientKey());
        return app;
    }

    private static async Task HandleAsync(HttpContext context, ActorSystem system, IRequiredActor<NodeHub> hub, QuotesSettings settings,
        ConnectionLimiter connections, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Json(new RestError("this endpoint needs a WebSocket upgrade", ErrorCodes.BadJson), QuotesJsonContext.Default.RestError,
                statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Draining: new clients go to another node.
            await Results.Json(new RestError("this node is shutting down; connect to another node", ErrorCodes.Internal), QuotesJsonContext.Default.RestError,
                statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            return;
        }

        var log = loggers.CreateLogger("Quotes.Sessions");
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var slot = connections.TryAcquire(ApiKeyValidator.KeyOf(context.Request));
        if (slot is null)
        {
            await ConnectionLimiter.RefuseAsync(socket);
            return;
        }
        var sessionId = Guid.NewGuid().ToString("N")[..16];
        var outbox = new SessionOutbox();
        var node = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
        var session = system.ActorOf(SessionActor.Props(sessionId, node, outbox, hub.ActorRef, settings), "session-" + sessionId);

        var writer = SocketWriter.RunAsync(socket, outbox, SendTimeout, lifetime.ApplicationStopping, log);
        // When the node stops, the writer closes with 1001; a client that never answers the close must not hold up the exit.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var drain = lifetime.ApplicationStopping.Register(() => reading.CancelAfter(CloseGrace));
        try
        {
            await ReadAsync(socket, session, reading.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the server is stopping; cleanup below.
        }
        finally
        {
            system.Stop(session); // its PostStop completes the outbox, the hub forgets it through Watch
            outbox.Complete();
            await writer;
        }
    }

    private static async Task ReadAsync(WebSocket socket, IActorRef session, CancellationToken ct)
    {
        using var reader = new WebSocketMessageReader(socket, ClientMessageParser.MaxFrameBytes);
        while (true)
        {
            var outcome = await reader.ReadAsync(ct);
            var command = outcome switch
            {
                ReadOutcome.Closed => null,
                ReadOutcome.TooLarge => Invalid(ErrorCodes.MessageTooLarge, $"a client message may be at most {ClientMessageParser.MaxFrameBytes} bytes"),
                _ when reader.MessageType == WebSocketMessageType.Binary => Invalid(ErrorCodes.BadJson, "binary frames are not supported; send UTF-8 JSON text"),
                _ => ClientMessageParser.Parse(reader.Message.Span),
            };
            if (command is null) return;
            session.Tell(new SessionProtocol.Command(command));
        }
    }

    private static ClientCommand Invalid(string code, string message) => new ClientCommand.Invalid(new ServerMessages.Error(code, message));
}
