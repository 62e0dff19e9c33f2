namespace Quotes.Actors.Polygon;

/// <summary>Where and how to reach Polygon (or anything that speaks its protocol). Bound from the <c>Polygon</c> section.</summary>
public sealed class PolygonOptions
{
    /// <summary>The Polygon key. Never logged, never echoed. Also read from <c>POLYGON_API_KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>WebSocket base, e.g. <c>wss://socket.massive.com</c>; <c>/stocks</c> is appended.</summary>
    public string? WebSocketUrl { get; set; }

    /// <summary>REST base, e.g. <c>https://api.massive.com</c>.</summary>
    public string? RestUrl { get; set; }

    /// <summary>
    /// <c>realtime</c> or <c>delayed</c>: picks the default host when no URL is given (<c>socket.massive.com</c> or
    /// <c>delayed.massive.com</c>); <c>simulator</c> declares that the URLs point at a standalone simulator, so that clients
    /// are told the prices are simulated (the built-in simulator is always reported so).
    /// </summary>
    public string Feed { get; set; } = "realtime";

    /// <summary>Results per REST page requested from Polygon (its maximum is 50,000 for aggregates, 1,000 for lists).</summary>
    public int PageSize { get; set; } = 50_000;

    /// <summary>
    /// Symbols the cluster's one upstream connection carries at most (those held by clients plus those lingering after their
    /// last client left). Past it a subscribe adding new symbols is refused with <c>CAPACITY</c>: every symbol costs an
    /// entity, upstream traffic and provider calls, and any string that passes the symbol rules is one.
    /// </summary>
    public int MaxSymbols { get; set; } = 5_000;

    /// <summary>
    /// REST requests this node sends the provider per second, retries included (<see cref="ProviderRateLimiter"/>). Keep the
    /// sum over the nodes under the plan's limit: a provider that rate-limits the server fails every client's REST.
    /// </summary>
    public int MaxRequestsPerSecond { get; set; } = 50;

    /// <summary>How long a REST request may wait for a provider permit before it is answered 503 with <c>Retry-After</c>.</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(2);

    public Uri StocksSocketUri() =>
        new((WebSocketUrl ?? (Feed == "delayed" ? "wss://delayed.massive.com" : "wss://socket.massive.com")).TrimEnd('/') + "/stocks");

    public Uri RestBaseUri() => new((RestUrl ?? "https://api.massive.com").TrimEnd('/') + "/");

    /// <summary>Never prints the key: options objects end up in logs and exception messages.</summary>
    public override string ToString() => $"Polygon {{ WebSocketUrl = {StocksSocketUri()}, RestUrl = {RestBaseUri()}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")} }}";
}
