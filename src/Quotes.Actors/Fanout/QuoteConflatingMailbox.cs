using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Quotes.Actors.Messages;
using Quotes.Actors.Telemetry;

namespace Quotes.Actors.Fanout;

/// <summary>
/// The hub's mailbox: every message in arrival order, except that a quote update waiting for a symbol is replaced by a
/// newer one for the same symbol instead of queueing behind it. When updates arrive faster than the hub can fan them out,
/// the hub skips to the newest (clients see a <c>seq</c> gap, as with a slow reader) and the mailbox stays bounded by
/// the number of symbols instead of growing without limit (every queue on the data path is bounded).
/// </summary>
public sealed class QuoteConflatingMailbox(Settings settings, Config config) : MailboxType(settings, config)
{
    /// <summary>The mailbox id the hub is created with (defined in <see cref="NodeHubExtensions"/>).</summary>
    public const string Id = "quotes-hub-mailbox";

    public override IMessageQueue Create(IActorRef owner, ActorSystem system)
    {
        var queue = new QuoteConflatingQueue();
        QuotesMetrics.For(system).HubMailbox(queue); // its depth and skipped updates are read when /metrics is scraped
        return queue;
    }
}

public sealed class QuoteConflatingQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    /// <summary>A queued message; for a quote, the envelope is swapped for newer ones until the hub takes it.</summary>
    private sealed class Slot(Envelope envelope, string? symbol)
    {
        public Envelope Envelope = envelope;
        public readonly string? Symbol = symbol;
    }

    private readonly object _lock = new();
    private readonly Queue<Slot> _queue = new();
    private readonly Dictionary<string, Slot> _pendingQuotes = new(StringComparer.Ordinal);
    private long _conflated;

    /// <summary>Quote updates replaced by a newer one before the hub took them.</summary>
    public long Conflated => Interlocked.Read(ref _conflated);

    public bool HasMessages { get { lock (_lock) return _queue.Count > 0; } }

    public int Count { get { lock (_lock) return _queue.Count; } }

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_lock)
        {
            if (envelope.Message is SymbolProtocol.QuoteUpdated update)
            {
                var symbol = update.Quote.Symbol;
                if (_pendingQuotes.TryGetValue(symbol, out var waiting))
                {
                    waiting.Envelope = envelope;
                    _conflated++;
                    return;
                }
                var slot = new Slot(envelope, symbol);
                _pendingQuotes[symbol] = slot;
                _queue.Enqueue(slot);
                return;
            }
            _queue.Enqueue(new Slot(envelope, null));
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        lock (_lock)
        {
            if (!_queue.TryDequeue(out var slot))
            {
                envelope = default;
                return false;
            }
            if (slot.Symbol is { } symbol) _pendingQuotes.Remove(symbol);
            envelope = slot.Envelope;
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}
