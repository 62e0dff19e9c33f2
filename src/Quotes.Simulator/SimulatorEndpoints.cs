using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

using Quotes.Contracts;

namespace Quotes.Simulator;

/// <summary>Embeds the simulator in any ASP.NET Core app: <c>services.AddPolygonSimulator()</c>, then <c>app.MapPolygonSimulator()</c>.</summary>
public static class SimulatorEndpoints
{
    public static IServiceCollection AddPolygonSimulator(this IServiceCollection services, SimulatorOptions options) =>
        services.AddSingleton(options).AddSingleton<MarketSimulator>();

    /// <summary>Maps WebSocket <c>/stocks</c> and the REST paths under <paramref name="prefix"/>.</summary>
    public static IEndpointRouteBuilder MapPolygonSimulator(this IEndpointRouteBuilder app, string prefix = "")
    {
        app.Map(prefix + "/stocks", AcceptAsync);
        app.MapPolygonRest(prefix);
        if (app.ServiceProvider.GetRequiredService<MarketSimulator>().Options.ControlEnabled) MapControl(app, prefix + "/_sim");
        return app;
    }

    /// <summary>Fault injection and the report over HTTP, for tests and rehearsals in another process. Off unless configured.</summary>
    private static void MapControl(IEndpointRouteBuilder app, string root)
    {
        app.MapGet(root + "/report", (MarketSimulator market) => Results.Json(market.Report(), PolygonWireJsonContext.Default.SimulatorReport));
        app.MapPost(root + "/faults", (FaultSettings faults, MarketSimulator market) =>
        {
            if (faults.ConnectionLimit is { } unknown && !Enum.IsDefined(unknown)) return Results.BadRequest(); // a number outside the enum
            market.Faults.RefuseAuth = faults.RefuseAuth;
            market.Faults.EvictAfterAuth = faults.EvictAfterAuth;
            market.Faults.EvictSilently = faults.EvictSilently;
            market.Faults.Stalled = faults.Stalled;
            market.Faults.FrameDelay = TimeSpan.FromMilliseconds(Math.Clamp(faults.FrameDelayMs, 0, 60_000));
            if (faults.ConnectionLimit is { } limit) market.Faults.ConnectionLimit = limit;
            if (faults.RestRequestsPerSecond is { } rate) market.Faults.RestRequestsPerSecond = rate;
            return Results.NoContent();
        }).Accepts<FaultSettings>("application/json");
        app.MapPost(root + "/drop", (MarketSimulator market) => { market.DropAll(); return Results.NoContent(); });
        app.MapPost(root + "/malformed", (MarketSimulator market) => { market.SendMalformed(); return Results.NoContent(); });
    }

    private static async Task AcceptAsync(HttpContext context, MarketSimulator market)
    {
        using var socket = await WebSocketUpgrade.AcceptAsync(context, market.Faults);
        if (socket is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        await new SimulatorConnection(socket, market, context.Abort).RunAsync(context.RequestAborted);
    }
}
