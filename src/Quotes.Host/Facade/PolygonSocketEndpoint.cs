using System.Net.WebSockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Quotes.Actors;
using Quotes.Actors.Facade;
using Quotes.Actors.Fanout;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Actors.Upstream;
using Quotes.Contracts;
using Quotes.Contracts.Polygon;
using Quotes.Contracts.WebSockets;
using Quotes.Host.Auth;
using Quotes.Host.WebSockets;

namespace Quotes.Host.Facade;

/// <summary>
/// The Polygon-compatible WebSocket (<c>/polygon/stocks</c>): existing Polygon clients connect with nothing changed but the
/// base URL and authenticate with an AkkaQuotes client key inside the protocol, as they do with Polygon.
/// </summary>
public static class PolygonSocketEndpoint
{
    /// <summary>The longest a socket may stay unauthenticated (<c>Quotes:FacadeAuthTimeout</c>, checked at start): it holds a pre-auth slot meanwhile (docs/SECURITY.md).</summary>
    public static readonly TimeSpan MaxAuthTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapPolygonSockets(this IEndpointRouteBuilder app)
    {
        OriginPolicy.RequireAllowedOrigin(app.Map("/polygon/stocks", HandleAsync));
        return app;
    }

    private static async Task HandleAsync(HttpContext context, ActorSystem system, IRequiredActor<NodeHub> hub, ClientKeys keys,
        QuotesOptions settings, ConnectionLimiter connections, IRequiredActor<UpstreamActor> upstream, KeySymbolBudget budget,
        FailedAuthThrottle throttle, SocketCounters counters, IHostApplicationLifetime lifetime, NodeStatus status, ProtocolLimits limits, ILogger<SocketPump> log)
    {
        if (throttle.IsBlocked(context.Connection.RemoteIpAddress))
        {
            // Polygon's error shape, as on the façade's REST relay: its clients read Polygon's bodies.
            await AuthRefusals.Client(AuthRefusal.Blocked, context, throttle).ExecuteAsync(context);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            context.Response.StatusCode = context.WebSockets.IsWebSocketRequest ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        // Not yet authenticated: a pre-auth slot, never a client one (those are charged at auth_success).
        if (connections.TryAcquirePreAuth(context.Connection.RemoteIpAddress) is not { } preAuth)
        {
            counters.End(SocketCloseReason.Limits);
            await ConnectionLimiter.RefuseAsync(socket);
            return;
        }
        using var slot = new FacadeSlot(connections, keys, preAuth, throttle, context.Connection.RemoteIpAddress);
        var outbox = new SessionOutbox(limits.MaxPendingReplies) { OverflowNotice = PolygonStatus.SlowConsumer.EncodeFrame() };
        var session = system.ActorOf(PolygonSessionActor.Props(outbox, hub.ActorRef, slot.Authenticate, settings,
            new SymbolAdmission(budget, upstream.ActorRef, settings.AdmissionTimeout), status.Feed == NodeStatus.SimulatorFeed, limits.MaxSymbolsPerConnection), "polygon-" + Guid.NewGuid().ToString("N")[..16]);
        // The key comes later, inside the protocol (auth): the connect is logged without one.
        await SocketPump.RunAsync(context, socket, SocketEndpoint.Polygon, "none yet", outbox, session, limits.MaxFrameBytes,
            (outcome, reader) => outcome == ReadOutcome.Message
                ? reader.MessageType == WebSocketMessageType.Binary ? new PolygonSessionActor.ClientAction(null, null, SocketPump.BinaryFrameRefusal)
                    : Parse(reader.Message.Span, limits.FacadeJson)
                : new PolygonSessionActor.ClientAction(null, null, outcome == ReadOutcome.TooLarge ? limits.FrameTooLarge : null),
            settings, lifetime, log);
    }

    /// <summary>
    /// <c>{"action":"…","params":"…"}</c> (<see cref="PolygonAction.Read"/>); anything else becomes an action the session
    /// answers with an error, which says why when the frame is not JSON or is nested too deeply.
    /// </summary>
    private static PolygonSessionActor.ClientAction Parse(ReadOnlySpan<byte> json, JsonDocumentOptions options)
    {
        var action = PolygonAction.Read(json, options, out var problem);
        return new(action.Action, action.Params, problem);
    }
}
