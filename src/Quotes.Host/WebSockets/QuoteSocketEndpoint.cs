using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Quotes.Actors;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Actors.Upstream;
using Quotes.Contracts;
using Quotes.Contracts.WebSockets;
using Quotes.Host.Api;
using Quotes.Host.Auth;

namespace Quotes.Host.WebSockets;

/// <summary>
/// The client WebSocket (<c>/ws</c>, alias <c>/api/socket</c>, PROTOCOL.md). One reader loop here parses frames and hands
/// them, in order, to the session actor; one writer loop (<see cref="SocketWriter"/>) sends what the outbox holds.
/// </summary>
public static class QuoteSocketEndpoint
{
    public static IEndpointRouteBuilder MapQuoteSockets(this IEndpointRouteBuilder app)
    {
        var sockets = app.MapGroup("").RequireAuthorization(QuotesAuth.ClientPolicy);
        OriginPolicy.RequireAllowedOrigin(sockets.Map("/ws", HandleAsync));
        OriginPolicy.RequireAllowedOrigin(sockets.Map("/api/socket", HandleAsync));
        return app;
    }

    private static async Task HandleAsync(HttpContext context, ActorSystem system, IRequiredActor<NodeHub> hub, QuotesOptions settings,
        ConnectionLimiter connections, IRequiredActor<UpstreamActor> upstream, KeySymbolBudget budget, SocketCounters counters,
        ProtocolLimits limits, IHostApplicationLifetime lifetime, ILogger<SocketPump> log)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.WriteAsync(context, ApiError.BadRequest(ErrorCodes.BadJson, "this endpoint needs a WebSocket upgrade"));
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Draining: new clients go to another node.
            await ApiErrors.WriteAsync(context, new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Internal,
                "this node is shutting down; connect to another node"));
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var client = ClientIdentity.Of(context.User)!; // the client policy let it through
        using var slot = connections.TryAcquire(client.BudgetId);
        if (slot is null)
        {
            counters.End(SocketCloseReason.Limits);
            await ConnectionLimiter.RefuseAsync(socket);
            return;
        }
        var sessionId = Guid.NewGuid().ToString("N")[..16];
        var outbox = new SessionOutbox(limits.MaxPendingReplies);
        var node = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
        var admission = new SymbolAdmission(budget, upstream.ActorRef, settings.AdmissionTimeout);
        var session = system.ActorOf(SessionActor.Props(sessionId, node, outbox, hub.ActorRef, settings, admission, client.BudgetId, limits.MaxSymbolsPerConnection), "session-" + sessionId);

        await SocketPump.RunAsync(context, socket, SocketEndpoint.Quotes, client.LogId, outbox, session, limits.MaxFrameBytes,
            (outcome, reader) => ToCommand(outcome, reader, limits),
            settings, lifetime, log);
    }

    private static object ToCommand(ReadOutcome outcome, WebSocketMessageReader reader, ProtocolLimits limits) => new SessionProtocol.Command(outcome switch
    {
        ReadOutcome.TooLarge => Invalid(ErrorCodes.MessageTooLarge, limits.FrameTooLarge),
        _ when reader.MessageType == WebSocketMessageType.Binary => Invalid(ErrorCodes.BadJson, SocketPump.BinaryFrameRefusal),
        _ => ClientMessageParser.Parse(reader.Message.Span, limits),
    });

    private static ClientCommand Invalid(string code, string message) => new ClientCommand.Invalid(new ServerMessages.Error(code, message));
}
