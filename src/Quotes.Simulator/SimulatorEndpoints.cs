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

    /// <summary>Maps WebSocket <c>/stocks</c> and the REST paths under <paramref name="prefix"/>. Needs <c>UseWebSockets()</c>.</summary>
    public static IEndpointRouteBuilder MapPolygonSimulator(this IEndpointRouteBuilder app, string prefix = "")
    {
        app.Map(prefix + "/stocks", AcceptAsync);
        app.MapGet(prefix + "/v2/aggs/ticker/{ticker}/prev", PreviousClose);
        return app;
    }

    private static async Task AcceptAsync(HttpContext context, MarketSimulator market)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await new SimulatorConnection(socket, market).RunAsync(context.RequestAborted);
    }

    private static IResult PreviousClose(string ticker, HttpContext context, MarketSimulator market)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var key = KeyOf(context.Request);
        if (string.IsNullOrEmpty(key))
            return Error(StatusCodes.Status401Unauthorized, requestId, "API Key was not provided");
        if (!market.Options.Accepts(key))
            return Error(StatusCodes.Status401Unauthorized, requestId, "Unknown API Key");

        if (!SymbolRules.IsValid(ticker))
            return Results.Json(new PolygonPreviousClose(ticker, 0, 0, true, [], "OK", requestId, 0), PolygonWireJsonContext.Default.PolygonPreviousClose);

        var walk = market.Walk(ticker);
        var day = walk.PreviousDay;
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1)).ToUnixTimeMilliseconds();
        var bar = new PolygonBar(ticker, day.Volume, Math.Round((day.High + day.Low + day.Close) / 3, 4), day.Open, day.Close, day.High, day.Low, start, 500_000);
        return Results.Json(new PolygonPreviousClose(ticker, 1, 1, true, [bar], "OK", requestId, 1), PolygonWireJsonContext.Default.PolygonPreviousClose);
    }

    private static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : request.Query["apiKey"].ToString();
    }

    private static IResult Error(int status, string requestId, string error) =>
        Results.Json(new PolygonRestError("ERROR", requestId, error), PolygonWireJsonContext.Default.PolygonRestError, statusCode: status);
}
