using System.Diagnostics.CodeAnalysis;
using System.Text;
using Quotes.Contracts.Polygon;

namespace Quotes.Simulator.Rest;

/// <summary>What every simulated REST answer shares: Polygon's envelope, its error bodies, and the market's date today.</summary>
internal static class PolygonRest
{
    public static DateOnly Today() => DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));

    /// <summary>
    /// The walk of <paramref name="symbol"/> on today's date, for an answer about today or the last session: a walk still on
    /// an earlier date ends that day first (<see cref="PriceWalk.RollTo"/>), as its first event today would.
    /// </summary>
    public static PriceWalk TodaysWalk(MarketSimulator market, string symbol)
    {
        var walk = market.Walk(symbol);
        walk.RollTo(Today());
        return walk;
    }

    public static JsonObject Envelope(JsonObject body)
    {
        body["status"] = "OK";
        body["request_id"] = Guid.NewGuid().ToString("N");
        return body;
    }

    public static IResult Json(JsonNode body) => Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8);

    /// <summary>
    /// The value of query parameter <paramref name="name"/>, one of <paramref name="allowed"/> (the first when absent), or
    /// the 400 Polygon answers for any other, listing them.
    /// </summary>
    public static bool TryChoice(IQueryCollection query, string name, string[] allowed, out string value, [NotNullWhen(false)] out IResult? error)
    {
        var given = query[name].ToString();
        value = given.Length == 0 ? allowed[0] : given;
        error = allowed.Contains(value, StringComparer.Ordinal) ? null : Error(400, "ERROR", $"{name} must be one of {string.Join(", ", allowed)}.");
        return error is null;
    }

    /// <summary><c>order</c> and <c>sort</c>'s direction: ascending (the default) or descending.</summary>
    public static readonly string[] Directions = ["asc", "desc"];

    /// <summary>Polygon's error bodies (<see cref="PolygonErrorBody"/>), with a <c>Retry-After</c> when given.</summary>
    public static IResult Error(int status, string kind, string text, string? requestId = null, int? retryAfter = null)
    {
        return new PolygonErrorResult(status, PolygonErrorBody.Write(kind, text, requestId), retryAfter);
    }

    private sealed class PolygonErrorResult(int status, string body, int? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return context.Response.WriteAsync(body);
        }
    }
}
