using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Streams;
using Quotes.Actors.Polygon;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Pipeline;

namespace Quotes.Actors.Upstream;

/// <summary>
/// One WebSocket to Polygon, carried by an Akka.Streams graph (<see cref="UpstreamStages"/>), never inside an actor: the
/// socket is the graph's source and sink, each frame is parsed and applied (aggregates to their entities through
/// <see cref="AggregateRouting"/>, statuses to the owner) by stages that resume past a bad frame. The owner hears
/// <see cref="Closed"/> exactly once, however the graph ends.
/// </summary>
public sealed class UpstreamConnection : IAsyncDisposable
{
    /// <summary>A status frame from this connection.</summary>
    public sealed record StatusReceived(int Generation, PolygonStatusEvent Status) : INoSerializationVerificationNeeded;

    /// <summary>Events or frames that could not be used (logged, skipped).</summary>
    public sealed record Malformed(int Generation, int Count) : INoSerializationVerificationNeeded;

    /// <summary>Aggregates dropped because a newer one for the same symbol came while the pipeline was behind.</summary>
    public sealed record Conflated(int Generation, int Count) : INoSerializationVerificationNeeded;

    /// <summary>The connection ended; <see cref="Reason"/> is safe to log.</summary>
    public sealed record Closed(int Generation, string Reason, WebSocketCloseStatus? CloseStatus) : INoSerializationVerificationNeeded;

    private readonly PolygonSocket _socket;
    private readonly ChannelWriter<string> _actions;
    private readonly UniqueKillSwitch _killSwitch;
    private long _lastAggregateAt = Stopwatch.GetTimestamp();

    private UpstreamConnection(int generation, PolygonSocket socket, IActorRef owner, AggregateRouting routing, QuotesMetrics metrics,
        FrameFaults faults, IMaterializer materializer)
    {
        Generation = generation;
        _socket = socket;
        (_actions, _killSwitch, var completion) = UpstreamStages.Run(socket, faults,
            parsed: frame =>
            {
                if (frame.Aggregates == 0) return;
                Interlocked.Exchange(ref _lastAggregateAt, Stopwatch.GetTimestamp());
                // Once per frame: how many aggregates came, and how late the oldest of them is (receipt being when it is parsed).
                metrics.UpstreamFrame(frame.Aggregates, frame.OldestEventMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            },
            apply: batch =>
            {
                foreach (var status in batch.Statuses) owner.Tell(new StatusReceived(generation, status));
                if (batch.Malformed > 0) owner.Tell(new Malformed(generation, batch.Malformed));
                if (batch.Conflated > 0)
                {
                    metrics.UpstreamConflated(batch.Conflated);
                    owner.Tell(new Conflated(generation, batch.Conflated));
                }
                return batch.Bars.Count > 0 ? routing.RouteAsync(batch.Bars) : Task.CompletedTask;
            },
            materializer);
        completion.ContinueWith(ended =>
        {
            var reason = _socket.CloseReason ?? (ended.IsFaulted
                ? $"the upstream pipeline failed ({ended.Exception!.GetBaseException().GetType().Name}: {ended.Exception.GetBaseException().Message})"
                : "the upstream pipeline ended");
            owner.Tell(new Closed(generation, reason, _socket.CloseStatus));
            _ = _socket.CloseAsync();
        }, TaskScheduler.Default);
    }

    public int Generation { get; }

    /// <summary>How long since this connection last carried an aggregate (or since it opened).</summary>
    public TimeSpan SinceLastAggregate => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastAggregateAt));

    /// <summary>Cuts the socket at once, without a close frame (the fence's cut).</summary>
    public void Abort() => _socket.Abort("fenced: connection cut");

    /// <summary>Connects and starts the pipeline; the caller owns the result and must dispose it.</summary>
    /// <para>Nothing is written while <paramref name="fence"/> refuses; the owner makes the fence guard the current connection.</para>
    public static async Task<UpstreamConnection> OpenAsync(Uri uri, int generation, IActorRef owner, AggregateRouting routing, QuotesSettings settings,
        UpstreamFence fence, QuotesMetrics metrics, FrameFaults faults, IMaterializer materializer)
    {
        var socket = await PolygonSocket.ConnectAsync(uri, settings, fence).ConfigureAwait(false);
        return new UpstreamConnection(generation, socket, owner, routing, metrics, faults, materializer);
    }

    /// <summary>Queues an action (auth, subscribe, unsubscribe). False when the queue is full or closed.</summary>
    public bool Send(string action) => _actions.TryWrite(action);

    /// <summary>Stops the pipeline; completes once the socket is closed (politely unless fenced, within 2 s).</summary>
    public async ValueTask DisposeAsync()
    {
        _actions.TryComplete();
        _killSwitch.Shutdown();
        await _socket.CloseAsync().ConfigureAwait(false);
    }
}
