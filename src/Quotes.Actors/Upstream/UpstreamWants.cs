using Akka.Event;
using Quotes.Actors.Messages;

namespace Quotes.Actors.Upstream;

/// <summary>
/// What the holder carries and says about it: every want and admission goes through the capped <see cref="SubscriptionSet"/>,
/// refusals past <c>Polygon:MaxSymbols</c> are logged sparingly (<see cref="OverCapLog"/>, a capacity warning at most every
/// 10 s), and the set is brought in line with the wants by batched <c>subscribe</c> and <c>unsubscribe</c> actions. Plain
/// bookkeeping for <see cref="UpstreamActor"/>, which sends the actions on the open link.
/// </summary>
public sealed class UpstreamWants(SubscriptionSet subscriptions, ILoggingAdapter log)
{
    private readonly OverCapLog _overCap = new();
    private DateTime _capacityLoggedAt;

    public SubscriptionSet Set => subscriptions;

    /// <summary>Distinct symbols refused past the cap within the last minute.</summary>
    public int OverCap => _overCap.Count;

    /// <summary>
    /// Every want, whatever its path (an entity's lease, a hub's recalled or seeded interest): past <c>Polygon:MaxSymbols</c> a
    /// symbol not carried is not subscribed, and said so at most once a minute per symbol. True when one became pending.
    /// </summary>
    public bool Want(IReadOnlyList<string> symbols, DateTime now)
    {
        var pending = false;
        List<string>? refused = null;
        foreach (var symbol in symbols)
        {
            switch (subscriptions.Want(symbol, now))
            {
                case SubscriptionSet.WantOutcome.Pending: pending = true; break;
                case SubscriptionSet.WantOutcome.OverCap when _overCap.ShouldLog(symbol, now): (refused ??= []).Add(symbol); break;
            }
        }
        if (refused is not null)
            log.Warning("Not subscribing {Count} symbol(s) upstream: the upstream carries {Carried} of at most {Max} (Polygon:MaxSymbols): {Symbols}",
                refused.Count, subscriptions.Carried, subscriptions.Max, string.Join(' ', refused.Take(20)) + (refused.Count > 20 ? " …" : ""));
        return pending;
    }

    /// <summary>The one place that knows what the cluster carries: admits new symbols up to <c>Polygon:MaxSymbols</c>, or none of them.</summary>
    public UpstreamProtocol.Admission Admit(IReadOnlyList<string> symbols, DateTime now, out bool pending)
    {
        var admitted = subscriptions.TryAdmit(symbols, now, out pending);
        if (!admitted && now - _capacityLoggedAt > TimeSpan.FromSeconds(10))
        {
            _capacityLoggedAt = now;
            log.Warning("Refused new symbols: the upstream carries {Carried} of at most {Max} (Polygon:MaxSymbols)", subscriptions.Carried, subscriptions.Max);
        }
        return new UpstreamProtocol.Admission(admitted, subscriptions.Carried, subscriptions.Max);
    }

    /// <summary>Subscribes what is wanted but not carried yet; returns what was subscribed (nothing when nothing is pending).</summary>
    public IReadOnlyList<string> SubscribePending(Func<string, bool> send, DateTime now)
    {
        if (subscriptions.Pending == 0) return [];
        var add = subscriptions.ToSubscribe(now);
        if (add.Count == 0 || !SendAll(send, "subscribe", add)) return [];
        subscriptions.MarkSubscribed(add);
        log.Info("Upstream symbols added ({Count}): {Symbols}; {Total} subscribed", add.Count, string.Join(' ', add), subscriptions.Subscribed.Count);
        return add;
    }

    /// <summary>
    /// Brings the link's channels in line with the wants (a full scan: the sweep's): unsubscribes the lingered-out and
    /// subscribes the missing, and forgets old refusals as <see cref="Sweep"/> does; returns what was subscribed.
    /// </summary>
    public IReadOnlyList<string> Sync(Func<string, bool> send, DateTime now)
    {
        _overCap.Prune(now);
        var gone = subscriptions.ToUnsubscribe(now);
        var added = SubscribePending(send, now);
        if (gone.Count == 0 || !SendAll(send, "unsubscribe", gone)) return added;
        subscriptions.MarkUnsubscribed(gone);
        log.Info("Upstream symbols removed ({Count}): {Symbols}; {Total} subscribed", gone.Count, string.Join(' ', gone), subscriptions.Subscribed.Count);
        return added;
    }

    /// <summary>Without a link: expired wants free their room, and old refusals are forgotten.</summary>
    public void Sweep(DateTime now)
    {
        subscriptions.ToUnsubscribe(now);
        _overCap.Prune(now);
    }

    private static bool SendAll(Func<string, bool> send, string action, IReadOnlyList<string> symbols) =>
        SubscribeBatches.Build(action, symbols).All(send);
}
