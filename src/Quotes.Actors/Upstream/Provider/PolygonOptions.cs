namespace Quotes.Actors.Upstream.Provider;

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

    /// <summary>
    /// Production: simulated prices are never served. No key is a start-up error, and an upstream that announces itself as a
    /// simulator (<c>"simulated":true</c> in its <c>connected</c> status) is refused: the connection is dropped and the
    /// upstream reported down.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>
    /// Under <see cref="Required"/>, the only hosts the upstream URLs may name (<c>Polygon:AllowedHosts</c>): a DNS, proxy or
    /// configuration mistake must not send the key and the users' data to a look-alike. Unset: <see cref="ProductionHosts"/>.
    /// </summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>Polygon's and Massive's production hosts, socket and REST, realtime and delayed.</summary>
    public static readonly string[] ProductionHosts =
    [
        "socket.massive.com", "delayed.massive.com", "api.massive.com",
        "socket.polygon.io", "delayed.polygon.io", "api.polygon.io",
    ];

    /// <summary><see cref="AllowedHosts"/> as set, else <see cref="ProductionHosts"/>.</summary>
    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts is { Length: > 0 } hosts ? hosts : ProductionHosts;

    /// <summary>Results per REST page requested from Polygon (its maximum is 50,000 for aggregates, 1,000 for lists).</summary>
    public int PageSize { get; set; } = MaxPageSize;

    /// <summary>The most <see cref="PageSize"/>: Polygon's own maximum.</summary>
    public const int MaxPageSize = 50_000;

    /// <summary>
    /// Provider pages one REST read follows at most (<c>next_url</c>), set from <c>Limits:MaxProviderPages</c>: a long history
    /// or option chain costs a provider call and memory per page.
    /// </summary>
    public int MaxProviderPages { get; set; } = 100;

    /// <summary>The most <see cref="MaxProviderPages"/>.</summary>
    public const int MaxProviderPagesCeiling = 10_000;

    /// <summary>
    /// Largest message read from the provider's socket (<c>Polygon:MaxFrameBytes</c>); a longer one is drained unread and
    /// counted malformed. It bounds the memory one upstream message can take: a proxy or look-alike host sending an endless
    /// message would otherwise grow the buffer without end. The default holds Polygon's largest batches many times over.
    /// </summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>The least <see cref="MaxFrameBytes"/>: one status or aggregate message fits in a kilobyte.</summary>
    public const int MinFrameBytes = 1024;

    /// <summary>The most <see cref="MaxFrameBytes"/>.</summary>
    public const int MaxFrameBytesCeiling = 64 * 1024 * 1024;

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

    /// <summary>
    /// Of <see cref="MaxRequestsPerSecond"/>, the requests per second kept for the server's own calls (the upstream's refills
    /// after a reconnect, entities loading their day); clients together get the rest, so a flood of client reads never
    /// starves them. Unset: a fifth of <see cref="MaxRequestsPerSecond"/> (<see cref="ReservedRate"/>).
    /// </summary>
    public int? ReservedRequestsPerSecond { get; set; }

    /// <summary>
    /// Provider requests per second one client key may cause (its REST reads and façade relays that no cache answers); past
    /// it that key is answered 429 with <c>Retry-After</c> while other keys go on. Unset: a fifth of
    /// <see cref="MaxRequestsPerSecond"/> (<see cref="PerKeyRate"/>); 0: no share of its own (one key may take all that
    /// clients together may).
    /// </summary>
    public int? MaxRequestsPerSecondPerKey { get; set; }

    /// <summary>
    /// How long a provider snapshot (<see cref="SnapshotBatcher"/>) answers again for the same symbol: entities and REST reads
    /// of symbols nobody streams. Its previous close holds all day; its price is as old as this at most (the quote's
    /// timestamp says so). 0: nothing is kept.
    /// </summary>
    public TimeSpan SnapshotCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Symbols whose snapshot is kept at most: twice the default cluster cap on symbols (<see cref="MaxSymbols"/>). 0: nothing is kept.</summary>
    public int SnapshotCacheEntries { get; set; } = 10_000;

    /// <summary>The longest <see cref="SnapshotCacheDuration"/>: a kept price older than this would pass for a current one.</summary>
    public static readonly TimeSpan MaxSnapshotCacheDuration = TimeSpan.FromHours(1);

    /// <summary>The most <see cref="SnapshotCacheEntries"/> (about a kilobyte each).</summary>
    public const int MaxSnapshotCacheEntries = 1_000_000;

    /// <summary><see cref="ReservedRequestsPerSecond"/> as set, else a fifth of <see cref="MaxRequestsPerSecond"/>.</summary>
    public int ReservedRate => ReservedRequestsPerSecond ?? MaxRequestsPerSecond / 5;

    /// <summary><see cref="MaxRequestsPerSecondPerKey"/> as set, else a fifth of <see cref="MaxRequestsPerSecond"/> (at least 1, at most the clients' share).</summary>
    public int PerKeyRate => MaxRequestsPerSecondPerKey ?? Math.Clamp(MaxRequestsPerSecond / 5, 1, Math.Max(1, MaxRequestsPerSecond - ReservedRate));

    /// <summary>What is wrong with the symbol cap, the provider budget and the cache settings; empty when nothing is. The node refuses to start otherwise.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxSymbols < 1)
            problems.Add($"Polygon:MaxSymbols must be at least 1 (symbols the upstream carries at most); it is {MaxSymbols}");
        if (MaxProviderPages is < 1 or > MaxProviderPagesCeiling)
            problems.Add($"Limits:MaxProviderPages must be from 1 to {MaxProviderPagesCeiling} (provider pages one REST read follows); it is {MaxProviderPages}");
        if (PageSize is < 1 or > MaxPageSize)
            problems.Add($"Polygon:PageSize must be from 1 to {MaxPageSize} (results per provider page); it is {PageSize}");
        if (MaxFrameBytes is < MinFrameBytes or > MaxFrameBytesCeiling)
            problems.Add($"Polygon:MaxFrameBytes must be from {MinFrameBytes} to {MaxFrameBytesCeiling} (largest upstream message read); it is {MaxFrameBytes}");
        if (MaxRequestsPerSecond < 1)
            problems.Add($"Polygon:MaxRequestsPerSecond must be at least 1; it is {MaxRequestsPerSecond}");
        if (MaxQueueWait < TimeSpan.Zero)
            problems.Add($"Polygon:MaxQueueWait must not be negative; it is {MaxQueueWait}");
        if (ReservedRate < 0 || (MaxRequestsPerSecond >= 1 && ReservedRate >= MaxRequestsPerSecond))
            problems.Add($"Polygon:ReservedRequestsPerSecond must be at least 0 and less than Polygon:MaxRequestsPerSecond ({MaxRequestsPerSecond}): clients need some of it; it is {ReservedRate}");
        if (PerKeyRate < 0 || (MaxRequestsPerSecond >= 1 && PerKeyRate > MaxRequestsPerSecond - ReservedRate))
            problems.Add($"Polygon:MaxRequestsPerSecondPerKey must be from 0 (no share of its own) to what clients together may take, Polygon:MaxRequestsPerSecond less Polygon:ReservedRequestsPerSecond ({MaxRequestsPerSecond - ReservedRate}); it is {PerKeyRate}");
        if (SnapshotCacheDuration < TimeSpan.Zero || SnapshotCacheDuration > MaxSnapshotCacheDuration)
            problems.Add($"Polygon:SnapshotCacheDuration must be from 0 to {MaxSnapshotCacheDuration}; it is {SnapshotCacheDuration}");
        if (SnapshotCacheEntries is < 0 or > MaxSnapshotCacheEntries)
            problems.Add($"Polygon:SnapshotCacheEntries must be from 0 to {MaxSnapshotCacheEntries}; it is {SnapshotCacheEntries}");
        return problems;
    }

    /// <summary>
    /// Under <see cref="Required"/>: what is wrong with where the upstream URLs point; empty when nothing is (and always
    /// without <see cref="Required"/>). Each must use TLS (<c>wss://</c>, <c>https://</c>; .NET validates the certificate as
    /// usual) and name a host in <see cref="EffectiveAllowedHosts"/>. A loopback address may go without TLS, which would
    /// protect nothing there, but only when listed in <c>Polygon:AllowedHosts</c> (a local proxy or a test).
    /// </summary>
    public IReadOnlyList<string> RequiredUpstreamProblems()
    {
        if (!Required) return [];
        var problems = new List<string>();
        Check("Polygon:WebSocketUrl", StocksSocketUri(), "wss");
        Check("Polygon:RestUrl", RestBaseUri(), "https");
        return problems;

        void Check(string setting, Uri url, string secure)
        {
            var allowed = EffectiveAllowedHosts.Any(h => string.Equals(h.Trim(), url.Host, StringComparison.OrdinalIgnoreCase));
            if (url.Scheme != secure && !(allowed && url.IsLoopback))
                problems.Add($"{setting} must use {secure}:// under Polygon:Required (TLS to the provider, its certificate checked); it is {url.Scheme}://{url.Authority}");
            if (!allowed)
                problems.Add($"{setting} names host '{url.Host}', which is not in Polygon:AllowedHosts ({string.Join(", ", EffectiveAllowedHosts)}); under Polygon:Required the upstream must be one of them");
        }
    }

    public Uri StocksSocketUri() =>
        new((WebSocketUrl ?? (Feed == "delayed" ? "wss://delayed.massive.com" : "wss://socket.massive.com")).TrimEnd('/') + "/stocks");

    public Uri RestBaseUri() => new((RestUrl ?? "https://api.massive.com").TrimEnd('/') + "/");

    /// <summary>Never prints the key: options objects end up in logs and exception messages.</summary>
    public override string ToString() => $"Polygon {{ WebSocketUrl = {StocksSocketUri()}, RestUrl = {RestBaseUri()}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")} }}";
}
