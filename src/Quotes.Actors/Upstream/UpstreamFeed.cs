using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream.Pipeline;
using Quotes.Actors.Upstream.Provider;

namespace Quotes.Actors.Upstream;

/// <summary>
/// The holder's one Akka.Streams graph to and from Polygon, across every connection (a link): the queued actions go in,
/// the frames read come out, and <c>upstream-restart</c> (a <see cref="RestartFlow"/>) runs one link after another as a
/// flow of its own (<see cref="UpstreamStages.Link{TLink}"/>: its socket sink and socket source over one opening). Each frame
/// is then parsed and handed over by the stages of <see cref="UpstreamStages"/>, and a kill switch ends it all on hand-over.
/// When the next link opens is the owner's call: it grants each one (<see cref="ConnectAfter"/>) with the wait its rules
/// give for what the last link reported (<see cref="ReconnectPolicy"/>), and the link's opening waits for that grant, then
/// for the wait, then connects and sends <c>auth</c>. So a link opens only when granted, once per grant, and never while the
/// fence refuses; and its socket sink sends nothing before the opening is done, so <c>auth</c> is always its first frame.
/// <para>
/// The owner hears of every link by its number (the grant's): <see cref="Connecting"/>, <see cref="Opened"/> (auth sent) or
/// <see cref="OpenFailed"/>, its statuses, and <see cref="Closed"/> once with the reason, after its last status (the end
/// travels through the stages as the link's last element). Actions (subscribe, unsubscribe) go through one queue outside
/// the restart (<c>upstream-actions</c>, paced), each tagged with the link it was made for (<see cref="Send"/>): it waits
/// until that link is open, and is dropped if a later link opened instead or if the link that takes it is not its own
/// (it ended meanwhile): a link is subscribed afresh after its own <c>auth_success</c>.
/// </para>
/// </summary>
public sealed class UpstreamFeed
{
    /// <summary>Grant <paramref name="Link"/>'s connection after <paramref name="Wait"/>.</summary>
    private sealed record Grant(int Link, TimeSpan Wait);

    /// <summary>A granted link is being connected (its wait is over).</summary>
    public sealed record Connecting(int Link) : INoSerializationVerificationNeeded;

    /// <summary>The link's socket is open and <c>auth</c> went out.</summary>
    public sealed record Opened(int Link) : INoSerializationVerificationNeeded;

    /// <summary>The link's socket did not open; <see cref="Reason"/> is safe to log.</summary>
    public sealed record OpenFailed(int Link, string Reason) : INoSerializationVerificationNeeded;

    /// <summary>A status frame from the link.</summary>
    public sealed record StatusReceived(int Link, PolygonStatusEvent Status) : INoSerializationVerificationNeeded;

    /// <summary>Events or frames that could not be used (logged, skipped).</summary>
    public sealed record Malformed(int Count) : INoSerializationVerificationNeeded;

    /// <summary>Aggregates dropped because a newer one for the same symbol came while the pipeline was behind.</summary>
    public sealed record Conflated(int Count) : INoSerializationVerificationNeeded;

    /// <summary>The link ended; <see cref="Reason"/> is safe to log.</summary>
    public sealed record Closed(int Link, string Reason, WebSocketCloseStatus? CloseStatus) : INoSerializationVerificationNeeded;

    /// <summary>The whole graph ended without a hand-over (a stage failed past its supervision): the owner starts a new feed.</summary>
    public sealed record Ended(string Reason) : INoSerializationVerificationNeeded;

    private readonly Uri _uri;
    private readonly string _apiKey;
    private readonly QuotesOptions _settings;
    private readonly UpstreamFence _fence;
    private readonly int _maxFrameBytes;
    private readonly IActorRef _owner;
    private readonly Channel<Grant> _grants = Channel.CreateBounded<Grant>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<Outbound> _actions = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(UpstreamStages.QueuedActions)
    { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private readonly UniqueKillSwitch _killSwitch;
    private readonly object _lock = new();
    private UpstreamLink? _current;
    private Task _opening = Task.CompletedTask;
    private long _lastAggregateAt = Stopwatch.GetTimestamp();
    private long _aggregateFrames;
    private readonly LinkGate _opened = new();

    public UpstreamFeed(Uri uri, string apiKey, IActorRef owner, AggregateRouting routing, QuotesOptions settings, UpstreamFence fence,
        QuotesMetrics metrics, FrameFaults faults, IMaterializer materializer, int maxFrameBytes = PolygonOptions.DefaultMaxFrameBytes)
    {
        (_uri, _apiKey, _owner, _settings, _fence, _maxFrameBytes) = (uri, apiKey, owner, settings, fence, maxFrameBytes);
        var ((killSwitch, stopped), completion) = UpstreamStages.Actions(_actions.Reader, _opened.WhenOpenAsync)
            .Via(UpstreamStages.Restarting(NextLink))
            .ViaMaterialized(KillSwitches.Single<InboundFrame>().Named("upstream-kill-switch"), Keep.Right)
            // Completes when the stages stop, also abruptly (their stream actor stopped from outside), when the sink's own
            // completion never would.
            .WatchTermination(Keep.Both)
            .Via(UpstreamStages.Parse(faults, ParsedFrame.Parse, frame =>
            {
                if (frame.Aggregates == 0) return;
                Interlocked.Exchange(ref _lastAggregateAt, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _aggregateFrames);
                // Once per frame: how many aggregates came, and how late the oldest of them is (receipt being when it is parsed).
                metrics.UpstreamFrame(frame.Aggregates, frame.OldestEventMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }))
            .ToMaterialized(UpstreamStages.ConflateAndApply(faults, batch =>
            {
                for (var i = 0; i < batch.Statuses.Count; i++) owner.Tell(new StatusReceived(batch.StatusLinks[i], batch.Statuses[i]));
                // After the statuses: a link's end comes after everything it carried (max_connections, then its close).
                foreach (var (link, end) in batch.Ends) owner.Tell(new Closed(link, end.Reason, end.CloseStatus));
                if (batch.Malformed > 0) owner.Tell(new Malformed(batch.Malformed));
                if (batch.Conflated > 0)
                {
                    metrics.UpstreamConflated(batch.Conflated);
                    owner.Tell(new Conflated(batch.Conflated));
                }
                return batch.Bars.Count > 0 ? routing.RouteAsync(batch.Bars) : Task.CompletedTask;
            }), Keep.Both)
            .Run(materializer);
        _killSwitch = killSwitch;
        _ = TellWhenStoppedAsync(stopped, completion, owner);
    }

    /// <summary>
    /// Tells the owner once the stages stopped: after the sink has applied what was left, or at once when they were stopped
    /// abruptly (the sink's completion may then never come). Every fault is observed here, none left to the finalizer.
    /// </summary>
    private async Task TellWhenStoppedAsync(Task stopped, Task completion, IActorRef owner)
    {
        Exception? failure = null;
        try
        {
            await stopped.ConfigureAwait(false);
        }
        catch (Exception e) when (e.GetBaseException() is AbruptStageTerminationException)
        {
            failure = e;
            _ = completion.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
        catch (Exception)
        {
            // The stages failed: the sink's completion below says how.
        }
        if (failure is null)
        {
            try
            {
                await completion.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        if (_stopping.IsCancellationRequested) return;
        owner.Tell(new Ended(failure is null
            ? "the upstream pipeline ended"
            : $"the upstream pipeline failed ({failure.GetBaseException().GetType().Name}: {failure.GetBaseException().Message})"));
    }

    /// <summary>Frames that carried at least one aggregate, over every connection of this feed (a new feed starts at 0).</summary>
    public long AggregateFrames => Interlocked.Read(ref _aggregateFrames);

    /// <summary>How long since the feed last carried an aggregate (or since the current link opened).</summary>
    public TimeSpan SinceLastAggregate => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastAggregateAt));

    /// <summary>Grants link <paramref name="link"/>: it connects after <paramref name="wait"/>. A later grant replaces one still waiting.</summary>
    public void ConnectAfter(int link, TimeSpan wait) => _grants.Writer.TryWrite(new Grant(link, wait));

    /// <summary>
    /// Queues an action (subscribe, unsubscribe) for link <paramref name="link"/>, sent once it is open, never on another.
    /// False when the queue is full.
    /// </summary>
    public bool Send(int link, string action) => _actions.Writer.TryWrite(new Outbound(link, action));

    /// <summary>Closes <paramref name="link"/> if it is the open one (politely unless fenced); the restart then waits for the next grant.</summary>
    public void Drop(int link)
    {
        UpstreamLink? current;
        lock (_lock) current = _current;
        if (current?.Id == link) _ = current.CloseAsync();
    }

    /// <summary>Ends the graph: no link opens again; completes once the open link's socket is closed (politely unless fenced, within 2 s).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _killSwitch.Shutdown();
        Task opening;
        UpstreamLink? current;
        lock (_lock) (opening, current) = (_opening, _current);
        try { await opening.ConfigureAwait(false); } catch { /* an attempt cut short by the stop */ }
        lock (_lock) current = _current;
        if (current is not null) await current.CloseAsync().ConfigureAwait(false);
    }

    /// <summary>The restart stage's factory: one link, its two sides sharing one opening (see the class summary).</summary>
    private Flow<Outbound, InboundFrame, NotUsed> NextLink() =>
        UpstreamStages.Link(OpenAsync(), (link, action) => link.SendAsync(action), link => link.ReadAsync(), link => link.CloseAsync());

    private Task<UpstreamLink> OpenAsync()
    {
        var opening = OpenGrantedAsync();
        lock (_lock) _opening = opening;
        return opening;
    }

    private async Task<UpstreamLink> OpenGrantedAsync()
    {
        var grant = await NextGrantAsync().ConfigureAwait(false);
        if (!_fence.MaySend()) throw Refused(grant.Link, "fenced: this node may no longer hold the upstream");
        _owner.Tell(new Connecting(grant.Link));
        PolygonSocket socket;
        try
        {
            socket = await PolygonSocket.ConnectAsync(_uri, _settings, _fence, _maxFrameBytes).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Refused(grant.Link, e.GetBaseException().Message);
        }
        var link = new UpstreamLink(grant.Link, socket);
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                _ = link.CloseAsync();
                throw new OperationCanceledException("the feed stopped");
            }
            _current = link;
        }
        _fence.Guard(link.Abort); // a trip or a close cuts this socket at once
        Interlocked.Exchange(ref _lastAggregateAt, Stopwatch.GetTimestamp());
        try
        {
            await socket.SendAsync(SubscribeBatches.Auth(_apiKey)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _ = link.CloseAsync();
            throw Refused(grant.Link, e.GetBaseException().Message);
        }
        _opened.Open(grant.Link);
        _owner.Tell(new Opened(grant.Link));
        return link;
    }

    private Exception Refused(int link, string reason)
    {
        _owner.Tell(new OpenFailed(link, reason));
        return new WebSocketException(WebSocketError.Faulted, reason);
    }

    /// <summary>The owner's next grant; a newer one that comes during the wait replaces it (and its wait starts then).</summary>
    private async Task<Grant> NextGrantAsync()
    {
        var grant = await _grants.Reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
        while (true)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var wait = Task.Delay(grant.Wait, waiting.Token);
            var newer = _grants.Reader.WaitToReadAsync(waiting.Token).AsTask();
            var first = await Task.WhenAny(wait, newer).ConfigureAwait(false);
            _stopping.Token.ThrowIfCancellationRequested();
            if (first == wait && wait.IsCompletedSuccessfully)
            {
                await waiting.CancelAsync().ConfigureAwait(false);
                return grant;
            }
            await waiting.CancelAsync().ConfigureAwait(false);
            if (_grants.Reader.TryRead(out var replaced)) grant = replaced;
        }
    }
}
