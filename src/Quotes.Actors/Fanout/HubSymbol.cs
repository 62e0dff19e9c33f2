using Akka.Actor;
using Quotes.Actors.Outbox;
using Quotes.Contracts;

namespace Quotes.Actors.Fanout;

/// <summary>
/// What the hub holds for one symbol its sessions subscribe to: the sessions' outboxes, the latest quote delivered (for
/// snapshots and as the seed of the symbol's next incarnation), and which incarnation of the entity it hears from.
/// The rules that keep <c>seq</c> and the day's values from going back for a client live here.
/// </summary>
internal sealed class HubSymbol(Quote? released)
{
    private byte[]? _snapshot;

    /// <summary>Subscribed outboxes and the slot each one carries this symbol in.</summary>
    public readonly Dictionary<SessionOutbox, int> Outboxes = [];
    public readonly Dictionary<SessionOutbox, int> PolygonOutboxes = [];
    public readonly HashSet<SessionOutbox> AwaitingSnapshot = [];

    /// <summary>The latest quote this node delivered; null before the first.</summary>
    public Quote? Latest { get; private set; }

    /// <summary>The quote this node delivered before its clients last let the symbol go (see <see cref="ReleasedQuotes"/>).</summary>
    public Quote? Released { get; private set; } = released;

    /// <summary>The incarnation of the symbol's entity last heard from, caught up with what this node delivered; null while none is known.</summary>
    public IActorRef? Entity { get; set; }

    public bool IsEmpty => Outboxes.Count == 0 && PolygonOutboxes.Count == 0;

    /// <summary>What a new incarnation must adopt to continue what this node's clients saw.</summary>
    public Quote? Seed => Latest ?? Released;

    /// <summary>The latest quote as a snapshot, encoded once per update however many sessions subscribe meanwhile.</summary>
    public byte[]? SnapshotBytes => Latest is { } latest ? _snapshot ??= ServerMessageEncoder.Encode(latest with { Snapshot = true }) : null;

    /// <summary>
    /// True when <paramref name="quote"/> may be delivered: above the latest delivered (a late or stale update of another
    /// incarnation is not), or, before any, not below what was delivered before the symbol was let go.
    /// </summary>
    public bool IsNew(Quote quote) => Latest is { } latest ? quote.Seq > latest.Seq : quote.Seq >= (Released?.Seq ?? 0);

    /// <summary>True when an incarnation that answers with <paramref name="quote"/> has continued from this node's seed.</summary>
    public bool CaughtUp(Quote? quote) => quote is null ? Seed is null : quote.Seq >= (Seed?.Seq ?? 0);

    /// <summary>Takes <paramref name="quote"/> as the latest delivered, its day widened to the previous latest (<see cref="DayContinuity"/>).</summary>
    public Quote Deliver(Quote quote)
    {
        Latest = Latest is { } latest ? DayContinuity.Continue(latest, quote) : quote;
        Released = null;
        _snapshot = null;
        return Latest;
    }
}
