using Microsoft.AspNetCore.Builder;

namespace Quotes.Simulator.Rest;

/// <summary>
/// Fault injection and the report over HTTP, for tests and rehearsals in another process (not Polygon's: under <c>/_sim</c>,
/// mapped only when <see cref="SimulatorOptions.ControlEnabled"/>).
/// </summary>
internal static class ControlEndpoints
{
    public static IEndpointRouteBuilder MapControl(this IEndpointRouteBuilder app, string root)
    {
        app.MapGet(root + "/report", (MarketSimulator market) => Results.Json(market.Report(), PolygonWireJsonContext.Default.SimulatorReport));
        app.MapPost(root + "/faults", (FaultSettings faults, MarketSimulator market) =>
        {
            if (faults.ConnectionLimit is { } unknown && !Enum.IsDefined(unknown)) return Results.BadRequest(); // a number outside the enum
            market.Faults.RefuseAuth = faults.RefuseAuth;
            market.Faults.EvictAfterAuth = faults.EvictAfterAuth;
            market.Faults.EvictSilently = faults.EvictSilently;
            market.Faults.Stalled = faults.Stalled;
            market.Faults.Halted = faults.Halted;
            market.Faults.SnapshotsRefused = faults.SnapshotsRefused;
            market.Faults.GroupedRefused = faults.GroupedRefused;
            market.Faults.FrameDelay = TimeSpan.FromMilliseconds(Math.Clamp(faults.FrameDelayMs, 0, 60_000));
            if (faults.ConnectionLimit is { } limit) market.Faults.ConnectionLimit = limit;
            if (faults.RestRequestsPerSecond is { } rate) market.Faults.RestRequestsPerSecond = rate;
            return Results.NoContent();
        }).Accepts<FaultSettings>("application/json");
        app.MapPost(root + "/drop", (MarketSimulator market) => { market.DropAll(); return Results.NoContent(); });
        app.MapPost(root + "/malformed", (MarketSimulator market) => { market.SendMalformed(); return Results.NoContent(); });
        return app;
    }
}
