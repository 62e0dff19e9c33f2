using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Simulator.Rest;

namespace Quotes.Simulator;

/// <summary>Embeds the simulator in any ASP.NET Core app: <c>services.AddPolygonSimulator()</c>, then <c>app.MapPolygonSimulator()</c>.</summary>
public static class SimulatorEndpoints
{
    public static IServiceCollection AddPolygonSimulator(this IServiceCollection services, SimulatorOptions options) =>
        services.AddSingleton(options).AddSingleton<MarketSimulator>();

    /// <summary>Maps WebSocket <c>/stocks</c>, the REST paths and, when enabled, the control paths under <paramref name="prefix"/>.</summary>
    public static IEndpointRouteBuilder MapPolygonSimulator(this IEndpointRouteBuilder app, string prefix = "")
    {
        app.Map(prefix + "/stocks", AcceptAsync);
        app.MapPolygonRest(prefix);
        if (app.ServiceProvider.GetRequiredService<MarketSimulator>().Options.ControlEnabled) app.MapControl(prefix + "/_sim");
        return app;
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
