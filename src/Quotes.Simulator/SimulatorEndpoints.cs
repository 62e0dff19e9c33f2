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
        app.MapGet(prefix + "/v2/snapshot/locale/us/markets/stocks/tickers/{ticker}", Snapshot);
        if (app.ServiceProvider.GetRequiredService<MarketSimulator>().Options.ControlEnabled) MapControl(app, prefix + "/_sim");
        return app;
    }

    /// <summary>Fault injection and the report over HTTP, for tests and rehearsals in another process. Off unless configured.</summary>
    private static void MapControl(IEndpointRouteBuilder app, string root)
    {
        app.MapGet(root + "/report", (MarketSimulator market) => Results.Json(market.Report(), PolygonWireJsonContext.Default.SimulatorReport));
        app.MapPost(root + "/faults", (FaultSettings faults, MarketSimulator market) =>
        {
            market.Faults.RefuseAuth = faults.RefuseAuth;
            market.Faults.EvictAfterAuth = faults.EvictAfterAuth;
            market.Faults.EvictSilently = faults.EvictSilently;
            market.Faults.Stalled = faults.Stalled;
            market.Faults.FrameDelay = TimeSpan.FromMilliseconds(Math.Clamp(faults.FrameDelayMs, 0, 60_000));
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

    private static IResult? Unauthorized(HttpContext context, MarketSimulator market, string requestId)
    {
        var key = KeyOf(context.Request);
        if (string.IsNullOrEmpty(key)) return Error(StatusCodes.Status401Unauthorized, requestId, "API Key was not provided");
        return market.Options.Accepts(key) ? null : Error(StatusCodes.Status401Unauthorized, requestId, "Unknown API Key");
    }

    private static IResult Snapshot(string ticker, HttpContext context, MarketSimulator market)
    {
        var requestId = Guid.NewGuid().ToString("N");
        if (Unauthorized(context, market, requestId) is { } refused) return refused;
        if (!SymbolRules.IsValid(ticker))
            return Results.Json(new PolygonRestError("NOT_FOUND", requestId, "Data not found."), PolygonWireJsonContext.Default.PolygonRestError, statusCode: 404);

        var walk = market.Walk(ticker);
        var day = walk.Day;
        var prev = walk.PreviousDay;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var updatedMs = day.LastEnd > 0 ? day.LastEnd : now;
        var change = day.Price - walk.PreviousClose;
        var snapshot = new PolygonTickerSnapshot(ticker, change, Math.Round(change / walk.PreviousClose * 100m, 4), updatedMs * 1_000_000,
            new PolygonDayBar(walk.Open, day.High, day.Low, day.Price, day.Volume, day.Vwap),
            new PolygonDayBar(prev.Open, prev.High, prev.Low, prev.Close, prev.Volume, Math.Round((prev.High + prev.Low + prev.Close) / 3, 4)),
            new PolygonMinuteBar(day.Volume, day.Price, day.Price, day.Price, day.Price, 0, day.Price, 0, updatedMs - updatedMs % 60_000),
            new PolygonLastTrade(null, "1", day.Price, 100, updatedMs * 1_000_000, 4));
        return Results.Json(new PolygonSnapshot(requestId, "OK", snapshot), PolygonWireJsonContext.Default.PolygonSnapshot);
    }

    private static IResult PreviousClose(string ticker, HttpContext context, MarketSimulator market)
    {
        var requestId = Guid.NewGuid().ToString("N");
        if (Unauthorized(context, market, requestId) is { } refused) return refused;

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
