using System.Threading.Channels;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// The stages of the upstream pipeline, each named so that a failure in the logs says where:
/// <code>
/// upstream-actions ─▶ upstream-restart( upstream-socket-out ┐ one link: one socket, one opening  )
///                                       upstream-socket-in  ┘
///                  ─▶ upstream-kill-switch ─▶ upstream-parse ─▶ upstream-conflate ─▶ upstream-apply ⇢ symbol inboxes (acknowledged)
/// </code>
/// <c>upstream-restart</c> runs one link at a time (<see cref="Link{TLink}"/>): its socket sink sends the actions (subscribe,
/// unsubscribe; throttled) and its socket source reads the frames, both over the one socket the link's opening connects.
/// Reading never waits for applying: <c>upstream-conflate</c> folds whatever arrives while <c>upstream-apply</c> waits for
/// the inboxes' acknowledgements into one <see cref="UpstreamBatch"/>, keeping every status and the newest aggregate per
/// symbol. <c>upstream-parse</c> and <c>upstream-apply</c> resume past a frame that throws (<see cref="FrameFaults"/>); the
/// socket stages never resume: a lost connection ends that link, and <c>upstream-restart</c> opens the next when its owner
/// grants it (<see cref="UpstreamFeed"/>).
/// </summary>
public static class UpstreamStages
{
    /// <summary>Actions queued at most (each subscribe batch is one action of up to 64 KB of channels).</summary>
    public const int QueuedActions = 1024;

    /// <summary>Actions sent per second at most, after a burst of <see cref="ActionBurst"/>: a reconnect's subscribe batches go out paced.</summary>
    public const int ActionsPerSecond = 20;

    public const int ActionBurst = 50;

    /// <summary>
    /// Actions for the socket, read from the owner's queue (which the owner writes; a full queue refuses), in order, paced.
    /// Each waits for the link it was made for to open (<paramref name="whenOpen"/>: true once it is open, false once a
    /// later link opened instead and the action is skipped), so that it reaches that link's socket sink, no earlier one's.
    /// </summary>
    public static Source<Outbound, NotUsed> Actions(ChannelReader<Outbound> queue, Func<int, Task<bool>> whenOpen) =>
        Source.ChannelReader(queue)
            .SelectAsync(1, async action => (Action: action, Due: await whenOpen(action.Link).ConfigureAwait(false)))
            .Where(waited => waited.Due)
            .Select(waited => waited.Action)
            .Throttle(ActionsPerSecond, TimeSpan.FromSeconds(1), ActionBurst, ThrottleMode.Shaping)
            .Named("upstream-actions");

    /// <summary>
    /// Sends each action with <paramref name="send"/> on the link <paramref name="opening"/> opens, once it is open: nothing
    /// goes out before the opening's own <c>auth</c>. Never fails: a send that fails or that the fence refuses cuts the
    /// socket, and the link's reader then ends the link after everything it read (a failing sink would end the link at
    /// once, its last statuses unread); while the link does not open, what comes is dropped.
    /// </summary>
    public static Sink<Outbound, Task<Done>> SocketOut<TLink>(Task<TLink> opening, Func<TLink, Outbound, Task> send) =>
        Sink.ForEachAsync<Outbound>(1, async action =>
        {
            try
            {
                await send(await opening.ConfigureAwait(false), action).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The link did not open (its socket source says why), or the send cut the socket (its reader says why).
            }
        }).Named("upstream-socket-out");

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
    /// One link as one flow: <c>upstream-socket-out</c> sends what comes in, <c>upstream-socket-in</c> emits what is read,
    /// both on the link <paramref name="opening"/> opens (waiting for it: the one opening is shared, so the two sides are
    /// always on the same socket). The link's source decides its end: after <paramref name="close"/> (or when the link
    /// did not open) the sending side ends too, so a link never outlives its socket on either side.
    /// </summary>
    public static Flow<Outbound, InboundFrame, NotUsed> Link<TLink>(Task<TLink> opening, Func<TLink, Outbound, Task> send,
        Func<TLink, Task<Option<InboundFrame>>> read, Func<TLink, Task<Done>> close)
    {
        var ended = KillSwitches.Shared("upstream-link-end");
        _ = opening.ContinueWith(_ => ended.Shutdown(), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        return Flow.FromSinkAndSource(
            Flow.Create<Outbound>().Via(ended.Flow<Outbound>()).To(SocketOut(opening, send)),
            SocketIn(() => opening, read, async link =>
            {
                try { return await close(link).ConfigureAwait(false); }
                finally { ended.Shutdown(); }
            }));
    }

    /// <summary>
    /// The restart stage's own pause between links: short, since the wait that matters is decided by the owner from what
    /// the last link reported, and applied inside the link's opening (<see cref="UpstreamFeed"/>).
    /// </summary>
    public static readonly RestartSettings RestartPause = RestartSettings.Create(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), 0);

    /// <summary>
    /// One link after another, each a new flow from <paramref name="link"/>: whenever one's source completes (Polygon closed
    /// it) or fails (lost, or it did not open), the factory is called again after <see cref="RestartPause"/>. Never resumes a
    /// link. Actions pulled by a link that ended are lost with it; they were for that link only.
    /// </summary>
    public static Flow<Outbound, InboundFrame, NotUsed> Restarting(Func<Flow<Outbound, InboundFrame, NotUsed>> link) =>
        RestartFlow.WithBackoff(link, RestartPause).Named("upstream-restart");

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
