using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream.Provider;

namespace Quotes.Actors.Upstream;

/// <summary>
/// Where the upstream sends each batch's aggregates, and when the next batch may follow. Sharding routes one message per
/// entity, so on a cluster two thirds of all aggregates used to cross to another node one by one. The upstream learns where
/// each symbol's entity runs from the entity's own wants (their sender), and sends a batch's aggregates for the entities on
/// another node in one <see cref="SymbolProtocol.AggregateBatch"/> to that node's <see cref="SymbolInbox"/>; the rest go in
/// one batch to this node's inbox. A stale home costs one extra hop, never an aggregate: the inbox hands each to its region,
/// which knows where the shard went.
/// <para>
/// Backpressure: <see cref="RouteAsync"/> completes once every inbox it asked has answered
/// <see cref="SymbolProtocol.AggregateBatchAck"/> (one ask per node and batch), and the apply stage pulls its next batch
/// only then, so a slow node turns into per-symbol conflation upstream, never into an unbounded mailbox. An answer that does
/// not come within the ask timeout is logged and the pipeline goes on. Nodes of an older version (a rolling upgrade) are
/// told, never asked: those that read batches get them without an answer, the others get one message per aggregate through
/// the region. Thread-safe: written by the upstream actor, read by the connection's apply stage.
/// </para>
/// </summary>
/// <param name="localInbox">This node's inbox; without one (a plain actor system) local aggregates are told to the region one by one.</param>
public sealed class AggregateRouting(ActorSystem system, IActorRef region, IActorRef? localInbox = null, TimeSpan? ackTimeout = null)
{
    private readonly SymbolHomes _homes = new();
    private readonly ConcurrentDictionary<Address, ActorSelection> _inboxes = new();
    private readonly ConcurrentDictionary<Address, bool> _readers = new();
    private readonly ConcurrentDictionary<Address, bool> _ackers = new();
    private readonly TimeSpan _ackTimeout = ackTimeout ?? AckTimeout;
    private readonly ILoggingAdapter _log = Logging.GetLogger(system, typeof(AggregateRouting));
    private long _unansweredLoggedAt = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 3600;
    private long _unanswered;

    /// <summary>
    /// An aggregate's bytes on the wire, estimated from above: the bar (symbol, decimals and times, 110 to 150 bytes with real
    /// prices) and the provider's raw event, which holds the same symbol and digits again, so the bound stays above even
    /// the largest decimals. Batches are cut by it (<see cref="RemoteChunks"/>): a frame's aggregates for one node (some 255
    /// bytes each on the wire) cross in one message of up to about 300.
    /// </summary>
    public static int EstimatedBytes(AggregateBar bar) => 160 + (bar.Raw?.Length ?? 0);

    /// <summary>
    /// How long the apply stage waits for an inbox's answer before it moves on: far above a healthy round trip (a millisecond),
    /// short enough that a node that stopped answering holds the feed back for a moment only (it is forgotten once unreachable).
    /// </summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Where each symbol's entity runs: the upstream's sweep keeps it to the symbols carried.</summary>
    public SymbolHomes Homes => _homes;

    /// <summary>Asks that were not answered in time, since start.</summary>
    public long Unanswered => Interlocked.Read(ref _unanswered);

    /// <summary>The entity of <paramref name="symbol"/> that sent a want: its node is the symbol's home from now on.</summary>
    public void Note(string symbol, IActorRef entity)
    {
        var node = entity.Path.Address;
        _homes.Note(symbol, node.HasLocalScope || entity.IsNobody() || !Reads(node) ? null : node);
    }

    /// <summary>
    /// Whether <paramref name="node"/> reads batches, from the membership once per node (wants arrive hundreds of times
    /// a second; a member's version never changes while it is one, and once it leaves it is forgotten). A node not yet
    /// known to read them is asked again.
    /// </summary>
    private bool Reads(Address node)
    {
        if (_readers.ContainsKey(node)) return true;
        if (!NodeBatches.Reads(system, node)) return false;
        _readers[node] = true;
        return true;
    }

    private bool Acks(Address node) => _ackers.GetOrAdd(node, n => NodeBatches.Acks(system, n));

    /// <summary>
    /// A node is leaving, left, went down or became unreachable: its symbols go through the region until their entities
    /// want again from a node that reads batches (one that is up: <see cref="NodeBatches.Reads"/>).
    /// </summary>
    public void Forget(Address node)
    {
        _homes.Forget(node);
        _inboxes.TryRemove(node, out _);
        _readers.TryRemove(node, out _);
        _ackers.TryRemove(node, out _);
    }

    /// <summary>
    /// One batch's aggregates, in the order they came. Completes when every inbox asked has answered or its ask timed out
    /// (logged); never faults.
    /// </summary>
    public Task RouteAsync(IReadOnlyList<AggregateBar> bars)
    {
        List<AggregateBar>? local = null;
        Dictionary<Address, List<AggregateBar>>? remote = null;
        foreach (var bar in bars)
        {
            if (_homes.TryGet(bar.Symbol, out var node))
            {
                remote ??= [];
                if (!remote.TryGetValue(node, out var list)) remote[node] = list = [];
                list.Add(bar);
            }
            else (local ??= []).Add(bar);
        }
        Task? first = null;
        List<Task>? more = null;
        void Await(Task answer)
        {
            if (first is null) first = answer;
            else (more ??= []).Add(answer);
        }
        if (local is not null)
        {
            if (localInbox is null)
                foreach (var bar in local) region.Tell(new SymbolProtocol.Aggregate(bar.Symbol, bar));
            else Await(AskAsync(localInbox, new SymbolProtocol.AggregateBatch(local), "this node"));
        }
        if (remote is not null)
        {
            foreach (var (node, list) in remote)
            {
                var inbox = _inboxes.GetOrAdd(node, n => system.ActorSelection(NodeBatches.InboxOf(n)));
                var chunks = RemoteChunks.BySize(list, EstimatedBytes).ToArray();
                var acks = Acks(node);
                // Delivery between two nodes keeps its order: the answer to the last chunk means every chunk before it is in too.
                for (var i = 0; i < chunks.Length; i++)
                {
                    var batch = new SymbolProtocol.AggregateBatch(chunks[i]);
                    if (acks && i == chunks.Length - 1) Await(AskAsync(inbox, batch, node.ToString()));
                    else inbox.Tell(batch);
                }
            }
        }
        if (first is null) return Task.CompletedTask;
        if (more is null) return first;
        more.Add(first);
        return Task.WhenAll(more);
    }

    private async Task AskAsync(ICanTell inbox, SymbolProtocol.AggregateBatch batch, string where)
    {
        try
        {
            await inbox.Ask<SymbolProtocol.AggregateBatchAck>(batch, _ackTimeout).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var count = Interlocked.Increment(ref _unanswered);
            var last = Interlocked.Read(ref _unansweredLoggedAt);
            if (Stopwatch.GetElapsedTime(last) >= TimeSpan.FromSeconds(10)
                && Interlocked.CompareExchange(ref _unansweredLoggedAt, Stopwatch.GetTimestamp(), last) == last)
                _log.Warning("The symbol inbox of {Node} did not acknowledge {Count} aggregate(s) within {Timeout} ({Error}; {Unanswered} so far): " +
                             "the upstream moves on", where, batch.Bars.Count, _ackTimeout, e.GetType().Name, count);
        }
    }
}
