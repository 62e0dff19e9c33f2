using System.Threading.Channels;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// The stages of the upstream pipeline, each named so that a failure in the logs says where:
/// <code>
/// upstream-actions ─▶ upstream-socket-out        (subscribe, unsubscribe; throttled; one per connection)
/// upstream-restart(upstream-socket-in) ─▶ upstream-kill-switch ─▶ upstream-parse ─▶ upstream-conflate ─▶ upstream-apply ⇢ symbol inboxes (acknowledged)
/// </code>
/// Reading never waits for applying: <c>upstream-conflate</c> folds whatever arrives while <c>upstream-apply</c> waits for
/// the inboxes' acknowledgements into one <see cref="UpstreamBatch"/>, keeping every status and the newest aggregate per
/// symbol. <c>upstream-parse</c> and <c>upstream-apply</c> resume past a frame that throws (<see cref="FrameFaults"/>); the
/// socket stages never resume: a lost connection ends that connection's source, and <c>upstream-restart</c> opens the next
/// when its owner grants it (<see cref="UpstreamFeed"/>).
/// </summary>
public static class UpstreamStages
{
    /// <summary>Actions queued at most (each subscribe batch is one action of up to 64 KB of channels).</summary>
    public const int QueuedActions = 1024;

    /// <summary>Actions sent per second at most, after a burst of <see cref="ActionBurst"/>: a reconnect's subscribe batches go out paced.</summary>
    public const int ActionsPerSecond = 20;

    public const int ActionBurst = 50;

    /// <summary>Actions for the socket, read from the owner's queue (which the owner writes; a full queue refuses), in order, paced.</summary>
    public static Source<string, NotUsed> Actions(ChannelReader<string> queue) =>
        Source.ChannelReader(queue)
            .Throttle(ActionsPerSecond, TimeSpan.FromSeconds(1), ActionBurst, ThrottleMode.Shaping)
            .Named("upstream-actions");

    public static Sink<string, Task<Done>> SocketOut(PolygonSocket socket) =>
        Sink.ForEachAsync<string>(1, socket.SendAsync).Named("upstream-socket-out");

    /// <summary>
    /// Messages as they are read from one connection, opened by <paramref name="open"/>; completes when Polygon closes, fails
    /// when the connection is lost, closes the connection either way.
    /// </summary>
    public static Source<InboundFrame, NotUsed> SocketIn<TLink>(Func<Task<TLink>> open, Func<TLink, Task<Option<InboundFrame>>> read,
        Func<TLink, Task<Done>> close) =>
        Source.UnfoldResourceAsync(open, read, close).Named("upstream-socket-in");

    /// <summary>Messages read from <paramref name="socket"/>, already open.</summary>
    public static Source<InboundFrame, NotUsed> SocketIn(PolygonSocket socket) =>
        SocketIn(() => Task.FromResult(socket), s => s.ReadAsync(), s => s.CloseAsync());

    /// <summary>
    /// The restart stage's own pause between connections: short, since the wait that matters is decided by the owner from
    /// what the last connection reported, and applied inside the factory (<see cref="UpstreamFeed"/>).
    /// </summary>
    public static readonly RestartSettings RestartPause = RestartSettings.Create(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), 0);

    /// <summary>
    /// One connection after another: whenever the one from <paramref name="connection"/> completes (Polygon closed it) or fails
    /// (lost, or failed to open), the factory is called again after <see cref="RestartPause"/>. Never resumes a connection.
    /// </summary>
    public static Source<InboundFrame, NotUsed> Restarting(Func<Source<InboundFrame, NotUsed>> connection) =>
        RestartSource.WithBackoff(connection, RestartPause).Named("upstream-restart");

    /// <param name="parse">Frame to events; <see cref="ParsedFrame.Parse"/> in production.</param>
    /// <param name="parsed">Told every parsed frame (the metrics' count and lag), on the stream's thread.</param>
    public static Flow<InboundFrame, ParsedFrame, NotUsed> Parse(FrameFaults faults, Func<InboundFrame, ParsedFrame> parse, Action<ParsedFrame>? parsed = null) =>
        Flow.Create<InboundFrame>().Select(frame =>
        {
            var result = parse(frame);
            parsed?.Invoke(result);
            return result;
        }).WithAttributes(faults.Supervising("upstream-parse"));

    public static Flow<ParsedFrame, UpstreamBatch, NotUsed> Conflate() =>
        Flow.Create<ParsedFrame>().ConflateWithSeed(UpstreamBatch.Seed, (batch, frame) => batch.Add(frame)).Named("upstream-conflate");

    /// <summary>Batches handed over at once at most: one being acknowledged while the next is sent hides a round trip, no more.</summary>
    public const int ApplyParallelism = 2;

    /// <summary>
    /// Applies each batch (statuses to the owner, aggregates to their nodes' inboxes) and pulls the next only once
    /// <paramref name="apply"/>'s task completes (the inboxes acknowledged, <see cref="AggregateRouting.RouteAsync"/>), at most
    /// <see cref="ApplyParallelism"/> at a time, with a one-batch input buffer: while the hand-overs are unacknowledged,
    /// <c>upstream-conflate</c> folds what arrives, so backpressure costs older aggregates of the same symbols, never a status.
    /// </summary>
    public static Sink<UpstreamBatch, Task<Done>> Apply(FrameFaults faults, Func<UpstreamBatch, Task> apply) =>
        Flow.Create<UpstreamBatch>().SelectAsync(ApplyParallelism, async batch =>
            {
                await apply(batch).ConfigureAwait(false);
                return NotUsed.Instance;
            })
            .WithAttributes(faults.Supervising("upstream-apply").And(Attributes.CreateInputBuffer(1, 1)))
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Right);

    /// <summary>
    /// <c>upstream-conflate</c> ─▶ <c>upstream-apply</c> in one island, with no asynchronous boundary between them: a boundary
    /// holds its own buffer of batches (16 in this Akka.Streams, whatever the attributes say), and frames would queue there
    /// unconflated while a hand-over waits for its acknowledgement. The apply stage's own work is small (its hand-overs are
    /// asynchronous), so reading and parsing never wait for it either.
    /// </summary>
    public static Sink<ParsedFrame, Task<Done>> ConflateAndApply(FrameFaults faults, Func<UpstreamBatch, Task> apply) =>
        Conflate().ToMaterialized(Apply(faults, apply), Keep.Right);
}
