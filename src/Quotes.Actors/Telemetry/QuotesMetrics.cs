using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Sessions;
using Quotes.Contracts;

namespace Quotes.Actors.Telemetry;

/// <summary>
/// Every instrument of the meter <c>AkkaQuotes</c> (exported at <c>/metrics</c> as <c>quotes_…</c>), created once per node
/// from the host's <see cref="IMeterFactory"/>. Counting never costs the data path per quote per client: the upstream counts
/// once per frame, the hub once per batch, a socket writer once per frame. Figures that already exist elsewhere
/// (<see cref="SocketCounters"/>, the hub's report, the shard region's stats) are read by observable instruments when
/// scraped instead of being counted twice. Actors find it with <see cref="For"/>.
/// </summary>
public sealed class QuotesMetrics : IDisposable
{
    public const string MeterName = "AkkaQuotes";

    /// <summary>Buckets of the latency histograms, in seconds: a millisecond to half a minute.</summary>
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _upstreamConflated;
    private readonly Counter<long> _offered;
    private readonly Counter<long> _conflated;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _providerRequests;
    private readonly Counter<long> _cacheRequests;
    private readonly Counter<long> _restRateLimited;
    private readonly Histogram<double> _upstreamLag;
    private readonly Histogram<double> _deliveryLatency;

    private volatile HubProtocol.Report? _hub;
    private volatile RegionFigures? _region;
    private volatile QuoteConflatingQueue? _hubMailbox;
    private int _holdsUpstream;
    private int _upstreamSymbols;
    private long _reconnects;
    private long _evictions;
    private long _lastAggregateAt; // Stopwatch timestamp of the last upstream frame with aggregates, or of taking the upstream

    private const string ThreadPoolQueueLength = "dotnet.thread_pool.queue.length";
    private const string ThreadPoolThreadCount = "dotnet.thread_pool.thread.count";

    /// <summary>The runtime's (<c>System.Runtime</c>) instruments that this meter exports in their place, as gauges.</summary>
    public static readonly IReadOnlySet<string> ThreadPoolGaugeNames = new HashSet<string>(StringComparer.Ordinal) { ThreadPoolQueueLength, ThreadPoolThreadCount };

    public QuotesMetrics(IMeterFactory meters, SocketCounters sockets) : this(meters.Create(MeterName), sockets) { }

    private QuotesMetrics(Meter meter, SocketCounters sockets)
    {
        _meter = meter;
        Sockets = sockets;

        _received = meter.CreateCounter<long>("quotes.upstream.received", description: "Aggregates received from the upstream (this node holds the upstream).");
        _upstreamConflated = meter.CreateCounter<long>("quotes.upstream.conflated",
            description: "Upstream aggregates dropped because a newer one for the same symbol arrived while the pipeline was behind (this node holds the upstream).");
        _offered = meter.CreateCounter<long>("quotes.delivery.offered", description: "Quotes offered to client outboxes (one per quote per subscribed client).");
        _conflated = meter.CreateCounter<long>("quotes.delivery.conflated", description: "Quotes replaced by a newer one for the same symbol before they were sent.");
        _frames = meter.CreateCounter<long>("quotes.socket.frames", description: "WebSocket frames sent to clients.");
        _bytes = meter.CreateCounter<long>("quotes.socket.sent", unit: "By", description: "Bytes sent to clients in WebSocket frames.");
        _protocolErrors = meter.CreateCounter<long>("quotes.protocol.errors", description: "Error replies to client messages, by error code.");
        // Rare events read when scraped, so that they are exported (as 0) before the first one happens: an alert needs the series.
        meter.CreateObservableCounter("quotes.upstream.reconnects", () => Interlocked.Read(ref _reconnects),
            description: "Upstream reconnects scheduled (any cause), on this node while it held the upstream.");
        meter.CreateObservableCounter("quotes.upstream.evictions", () => Interlocked.Read(ref _evictions),
            description: "Upstream connections evicted by the provider (another connection uses the key), on this node while it held the upstream.");
        _providerRequests = meter.CreateCounter<long>("quotes.provider.requests", description: "Provider REST calls, by route and outcome.");
        _cacheRequests = meter.CreateCounter<long>("quotes.cache.requests", description: "REST cache lookups, by kind and result (hit or miss).");
        _restRateLimited = meter.CreateCounter<long>("quotes.rest.rate_limited", description: "REST requests refused with 429 by the per-key rate limit.");
        // Exported as 0 from the start, so that a rate over them exists before the first event.
        foreach (var counter in new[] { _received, _upstreamConflated, _offered, _conflated, _frames, _bytes }) counter.Add(0);
        _upstreamLag = meter.CreateHistogram("quotes.upstream.lag", unit: "s",
            description: "Receipt minus event time of upstream aggregates (the oldest event of each upstream frame).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _deliveryLatency = meter.CreateHistogram("quotes.delivery.latency", unit: "s",
            description: "Event time to socket write, end to end (the oldest live quote of each client frame).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

        meter.CreateObservableGauge("quotes.connections", () => new[]
        {
            new Measurement<long>(sockets.Open(SocketEndpoint.Quotes), new KeyValuePair<string, object?>("endpoint", "/ws")),
            new Measurement<long>(sockets.Open(SocketEndpoint.Polygon), new KeyValuePair<string, object?>("endpoint", "/polygon")),
        }, description: "Client WebSockets open on this node, by endpoint.");
        meter.CreateObservableCounter("quotes.socket.closes", () => Enum.GetValues<SocketCloseReason>()
            .Select(r => new Measurement<long>(sockets.Ended(r), new KeyValuePair<string, object?>("reason", ReasonLabel(r)))),
            description: "Client WebSockets ended, by reason.");
        meter.CreateObservableGauge("quotes.subscriptions", () => Hub(h => h.Subscriptions), description: "Symbols held by clients on this node, summed over clients.");
        meter.CreateObservableGauge("quotes.symbols.held", () => Hub(h => h.Symbols), description: "Distinct symbols this node's clients hold.");
        meter.CreateObservableGauge("quotes.hub.backlog", () => _hub is { } h
            ? new[]
            {
                new Measurement<long>(h.Backlog.PendingQuotes, new KeyValuePair<string, object?>("kind", "quotes")),
                new Measurement<long>(h.Backlog.PendingControl, new KeyValuePair<string, object?>("kind", "control")),
            }
            : [], description: "Messages waiting in this node's client outboxes, by kind.");
        meter.CreateObservableGauge("quotes.hub.largest_outbox", () => Hub(h => h.Backlog.LargestOutbox), description: "The largest single client backlog on this node.");
        meter.CreateObservableGauge("quotes.hub.mailbox", () => _hubMailbox is { } q ? [new Measurement<int>(q.Count)] : Array.Empty<Measurement<int>>(),
            description: "Messages waiting in the hub's mailbox (quote updates conflated per symbol).");
        meter.CreateObservableCounter("quotes.hub.skipped", () => _hubMailbox is { } q ? [new Measurement<long>(q.Conflated)] : Array.Empty<Measurement<long>>(),
            description: "Quote updates the hub skipped because a newer one for the symbol arrived first (it fell behind).");
        meter.CreateObservableGauge("quotes.upstream.state", () => _hub is { } h
            ? UpstreamStateNames.Select(s => new Measurement<int>(s == h.Upstream ? 1 : 0, new KeyValuePair<string, object?>("state", s)))
            : [], description: "The upstream connection's state as this node last heard it: 1 for the current state.");
        meter.CreateObservableGauge("quotes.upstream.holder", () => Volatile.Read(ref _holdsUpstream), description: "1 on the node holding the upstream connection.");
        meter.CreateObservableGauge("quotes.upstream.symbols", () => Holding(() => Volatile.Read(ref _upstreamSymbols)),
            description: "Symbols subscribed upstream (reported by the node holding the upstream).");
        meter.CreateObservableGauge("quotes.upstream.last_aggregate_age", () => Holding(() => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastAggregateAt)).TotalSeconds),
            unit: "s", description: "Seconds since the last upstream aggregate (or since this node took the upstream), on the node holding it.");
        meter.CreateObservableGauge("quotes.shards", () => _region is { } r ? [new Measurement<int>(r.Shards)] : Array.Empty<Measurement<int>>(),
            description: "Symbol shards hosted on this node.");
        meter.CreateObservableGauge("quotes.entities", () => _region is { } r ? [new Measurement<int>(r.Entities)] : Array.Empty<Measurement<int>>(),
            description: "Symbol entities running on this node.");

        // The runtime's own meter declares these two as counters, though both go down: Prometheus would read every fall as a
        // counter reset. The host drops the runtime's (ThreadPoolGaugeNames) and exports them from here as what they are.
        meter.CreateObservableUpDownCounter(ThreadPoolQueueLength, () => ThreadPool.PendingWorkItemCount, "{work_item}",
            "The number of work items that are currently queued to be processed by the thread pool.");
        meter.CreateObservableUpDownCounter(ThreadPoolThreadCount, () => (long)ThreadPool.ThreadCount, "{thread}",
            "The number of thread pool threads that currently exist.");
    }

    /// <summary>The node's socket counts.</summary>
    public SocketCounters Sockets { get; }

    /// <summary>This node's metrics: the host's (Akka.Hosting's service provider), or a detached set nobody exports.</summary>
    public static QuotesMetrics For(ActorSystem system) => system.WithExtension<QuotesMetricsExtension, QuotesMetricsExtensionId>().Metrics;

    /// <summary>Instruments on a meter of their own, exported by no one: for actor systems built without a host (unit specs).</summary>
    public static QuotesMetrics Detached() => new(new Meter(MeterName), new SocketCounters());

    // --- Upstream (the holder's connection, once per frame)

    public void UpstreamFrame(int aggregates, long oldestEventMs, long receivedMs)
    {
        if (aggregates == 0) return;
        _received.Add(aggregates);
        Interlocked.Exchange(ref _lastAggregateAt, Stopwatch.GetTimestamp());
        _upstreamLag.Record(Math.Max(0, receivedMs - oldestEventMs) / 1000.0);
    }

    public void UpstreamConflated(int aggregates) => _upstreamConflated.Add(aggregates);

    public void UpstreamReconnect() => Interlocked.Increment(ref _reconnects);

    public void UpstreamEvicted() => Interlocked.Increment(ref _evictions);

    /// <summary>This node took (true) or gave up (false) the upstream.</summary>
    public void HoldsUpstream(bool holds)
    {
        if (holds) Interlocked.Exchange(ref _lastAggregateAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref _holdsUpstream, holds ? 1 : 0);
    }

    public void UpstreamSymbols(int subscribed) => Volatile.Write(ref _upstreamSymbols, subscribed);

    // --- Fan-out (the hub once per batch, each socket writer once per frame)

    public void Offered(long quotes)
    {
        if (quotes > 0) _offered.Add(quotes);
    }

    /// <summary>One frame handed to a client socket: its size, the quotes its outbox conflated since the previous frame, and the event time of its oldest live quote (0: none).</summary>
    public void FrameSent(int bytes, long conflatedSince, long oldestEventMs)
    {
        _frames.Add(1);
        _bytes.Add(bytes);
        if (conflatedSince > 0) _conflated.Add(conflatedSince);
        if (oldestEventMs > 0) _deliveryLatency.Record(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - oldestEventMs) / 1000.0);
    }

    /// <summary>Quotes an outbox conflated after its last frame (counted when its socket ends).</summary>
    public void Conflated(long quotes)
    {
        if (quotes > 0) _conflated.Add(quotes);
    }

    public void ProtocolError(string code) => _protocolErrors.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>The hub's latest report (sessions, symbols, subscriptions, upstream state, backlog), refreshed by <see cref="NodeGauges"/>.</summary>
    public void HubReported(HubProtocol.Report report) => _hub = report;

    public void RegionReported(int shards, int entities) => _region = new RegionFigures(shards, entities);

    /// <summary>The hub's mailbox registers itself, so its depth can be read when scraped.</summary>
    public void HubMailbox(QuoteConflatingQueue queue) => _hubMailbox = queue;

    // --- REST

    public void ProviderRequest(string route, string outcome) =>
        _providerRequests.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("outcome", outcome));

    public void CacheLookup(string kind, bool hit) =>
        _cacheRequests.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void RestRateLimited(string route) => _restRateLimited.Add(1, new KeyValuePair<string, object?>("route", route));

    public void Dispose() => _meter.Dispose();

    private static readonly string[] UpstreamStateNames =
        [UpstreamStates.Connecting, UpstreamStates.Connected, UpstreamStates.Reconnecting, UpstreamStates.Stale, UpstreamStates.Unauthorized, UpstreamStates.Down];

    private sealed record RegionFigures(int Shards, int Entities);

    private IEnumerable<Measurement<int>> Hub(Func<HubProtocol.Report, int> figure) => _hub is { } h ? [new Measurement<int>(figure(h))] : [];

    private IEnumerable<Measurement<T>> Holding<T>(Func<T> figure) where T : struct =>
        Volatile.Read(ref _holdsUpstream) == 1 ? [new Measurement<T>(figure())] : [];

    private static string ReasonLabel(SocketCloseReason reason) => reason switch
    {
        SocketCloseReason.Client => "client",
        SocketCloseReason.SlowConsumer => "slow_consumer",
        SocketCloseReason.Limits => "limits",
        SocketCloseReason.RateLimit => "rate_limit",
        SocketCloseReason.AuthTimeout => "auth_timeout",
        SocketCloseReason.Shutdown => "shutdown",
        SocketCloseReason.KeepAlive => "keepalive",
        _ => reason.ToString(),
    };
}
