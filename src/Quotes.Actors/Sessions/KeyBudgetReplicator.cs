using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Akka.Hosting;

namespace Quotes.Actors.Sessions;

/// <summary>
/// Makes each key's symbol budget (<see cref="KeySymbolBudget"/>) cluster-wide with Akka.DistributedData: per client key and
/// node one entry, what the key holds and took on there (<see cref="KeyHoldings"/>), in one of a fixed number of replicated
/// maps (<see cref="KeyBudgetBuckets"/>). Each node writes only its own entries, locally (<c>WriteLocal</c>), a moment after
/// its holdings change (per subscribe or release, never per quote); gossip carries them to the others, whose budgets take
/// them as the key's holdings elsewhere. A removed node's entries are dropped. So an admission is answered at once from the
/// local view, and views meet within about a gossip interval: two nodes admitting for the same key in the same moment may
/// together overshoot by what each admitted meanwhile.
/// <para>
/// Nothing grows with the keys that were ever used: a node removes its entry for a key once it holds nothing for it and
/// took nothing on for it in the last minute (at once when that is so as it publishes, else at the next sweep), and every
/// <see cref="SweepInterval"/> the budget forgets the keys idle everywhere (<see cref="KeySymbolBudget.Prune"/>). With
/// bearer tokens every user is a key; before 1.4.0 each key had a replicated map of its own, which can never be removed.
/// Once every member runs 1.4.0 or later, each node deletes the maps of older versions (<see cref="RetireOldMaps"/>), which
/// would otherwise go on being gossiped.
/// </para>
/// </summary>
public sealed class KeyBudgetReplicator : ReceiveActor, IWithTimers
{
    /// <summary>How long changes gather before this node publishes them: one write per burst of subscribes.</summary>
    public static readonly TimeSpan PublishDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How often this node removes its entries of keys gone idle here and forgets the keys idle everywhere.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private sealed record Dirty(string KeyId);
    // Ticks to self: they leave a receive timeout alone and make no dead-letter noise once the actor is gone.
    private sealed class Publish : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Publish Instance = new(); }
    private sealed class Sweep : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Sweep Instance = new(); }

    private readonly KeySymbolBudget _budget;
    private readonly Func<DateTime> _utcNow;
    private readonly TimeSpan _sweepInterval;
    private readonly Dictionary<int, LWWDictionary<long, string>> _buckets = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly long _self;
    private readonly Action<string> _onChanged;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _oldMapsRetired;
    private HashSet<long> _absentAtLastSweep = [];

    public KeyBudgetReplicator(KeySymbolBudget budget, Func<DateTime>? utcNow = null, TimeSpan? sweepInterval = null)
    {
        _budget = budget;
        _utcNow = utcNow ?? (() => DateTime.UtcNow);
        _sweepInterval = sweepInterval ?? SweepInterval;
        _self = NodeId(_cluster.SelfUniqueAddress);
        var self = Self;
        _onChanged = keyId => self.Tell(new Dirty(keyId));

        Receive<Dirty>(d =>
        {
            if (_dirty.Add(d.KeyId) && _dirty.Count == 1) Timers.StartSingleTimer("publish", Publish.Instance, PublishDelay);
        });
        Receive<Publish>(_ => PublishDirty());
        Receive<Sweep>(_ => OnSweep());
        Receive<Changed>(c =>
        {
            var bucket = KeyBudgetBuckets.BucketOf(c.Key.Id);
            if (bucket >= 0) OnBucket(bucket, c.Get(KeyBudgetBuckets.KeyOf(bucket)));
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            Forget(NodeId(m.Member.UniqueAddress));
            RetireOldMaps(m.Member, removed: true);
        });
        Receive<ClusterEvent.MemberUp>(m => RetireOldMaps(m.Member, removed: false));
        Receive<GetKeysIdsResult>(r =>
        {
            foreach (var id in r.Keys.Where(id => OldMapPrefixes.Any(prefix => id.StartsWith(prefix, StringComparison.Ordinal))))
                _replicator.Tell(Dsl.Delete(new LWWDictionaryKey<long, string>(id), WriteLocal.Instance));
        });
        Receive<DeleteSuccess>(_ => { });
        Receive<DataDeleted>(_ => { }); // another node deleted it first
        Receive<ReplicationDeleteFailure>(f => _log.Warning("Key budget: deleting the older map {0} failed", f.Key));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("Key budget: writing {0} failed ({1})", f.Key, f.GetType().Name));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The replicator of <paramref name="budget"/>; a spec may give it a clock and a shorter sweep.</summary>
    public static Props Props(KeySymbolBudget budget, Func<DateTime>? utcNow = null, TimeSpan? sweepInterval = null) =>
        Akka.Actor.Props.Create(() => new KeyBudgetReplicator(budget, utcNow, sweepInterval));

    /// <summary>
    /// The names of every key's own map in earlier versions: keyed by node address before 1.3.0, by <see cref="NodeId"/>
    /// from 1.3.0 (the type differs, so the names had to). The deletion reads them as the later type; a delete needs only the name.
    /// </summary>
    private static readonly string[] OldMapPrefixes = ["key-symbols-", "key-holdings-"];

    /// <summary>The first version whose nodes keep the budgets in <see cref="KeyBudgetBuckets"/>.</summary>
    private static readonly Akka.Util.AppVersion FirstInBuckets = Akka.Util.AppVersion.Create("1.4.0");

    /// <summary>
    /// Once every member keeps the budgets in buckets (a rolling upgrade from an older version is over), deletes the older
    /// maps, once per node: nobody reads them any more, and a replica keeps what it holds until it is deleted. Deleting
    /// one another node deleted first is harmless. The members are this node's view with the event's own change applied,
    /// since the view may not show it yet.
    /// </summary>
    private void RetireOldMaps(Member changed, bool removed)
    {
        var members = _cluster.State.Members.Where(m => !m.UniqueAddress.Equals(changed.UniqueAddress)).ToList();
        if (!removed) members.Add(changed);
        if (members.Count == 0 || members.Any(m => m.AppVersion.CompareTo(FirstInBuckets) < 0))
        {
            _oldMapsRetired = false; // an older node (re)joined: retire what it writes once it has left
            return;
        }
        if (_oldMapsRetired) return;
        _oldMapsRetired = true;
        _replicator.Tell(Dsl.GetKeyIds);
    }

    /// <summary>
    /// A node's id in the buckets: the first 8 bytes of the SHA-256 of its address and incarnation
    /// (<c>akka.tcp://quotes@host:port#uid</c>), the same in every process, unlike <see cref="string.GetHashCode()"/>.
    /// </summary>
    public static long NodeId(UniqueAddress node) =>
        KeyBudgetBuckets.Hash64(string.Create(CultureInfo.InvariantCulture, $"{node.Address}#{node.Uid}"));

    private void PublishDirty()
    {
        var now = _utcNow();
        foreach (var keyId in _dirty) Write(keyId, _budget.Local(keyId, now));
        _dirty.Clear();
    }

    /// <summary>This node's entry for the key: written, or removed when the key holds nothing here and took nothing on.</summary>
    private void Write(string keyId, KeyHoldings local)
    {
        var entry = KeyBudgetBuckets.EntryId(_self, keyId);
        var key = KeyBudgetBuckets.KeyOf(KeyBudgetBuckets.Of(keyId));
        if (IsIdle(local)) Update(key, m => m.ContainsKey(entry) ? m.Remove(_cluster, entry) : m);
        else Update(key, m => m.SetItem(_cluster, entry, KeyBudgetBuckets.Encode(_self, keyId, local)));
    }

    /// <summary>Changes a bucket in this node's replica; gossip carries it on.</summary>
    private void Update(LWWDictionaryKey<long, string> key, Func<LWWDictionary<long, string>, LWWDictionary<long, string>> modify) =>
        _replicator.Tell(Dsl.Update(key, LWWDictionary<long, string>.Empty, WriteLocal.Instance, modify));

    /// <summary>Every entry of every bucket, as this actor last saw the replica.</summary>
    private List<KeyBudgetBuckets.Entry> Entries() =>
        _buckets.Values.SelectMany(map => map.Entries.Values).Select(KeyBudgetBuckets.Decode).OfType<KeyBudgetBuckets.Entry>().ToList();

    private static bool IsIdle(KeyHoldings local) => local.Symbols.Count == 0 && local.Takes.Count == 0;

    /// <summary>
    /// Removes this node's entries (as its replica last showed them) of keys that went idle here since they were published,
    /// and the entries of nodes that are no member (<see cref="ForgetNonMembers"/>), then forgets the keys idle everywhere.
    /// Read from the replica, not remembered, so an entry left by an earlier incarnation of this actor goes too.
    /// </summary>
    private void OnSweep()
    {
        var now = _utcNow();
        var entries = Entries();
        foreach (var keyId in entries.Where(e => e.Node == _self).Select(e => e.KeyId))
            if (_budget.Local(keyId, now) is var local && IsIdle(local)) Write(keyId, local);
        ForgetNonMembers(entries);
        _budget.Prune(now);
    }

    /// <summary>A bucket changed: the keys whose entries changed get their holdings elsewhere anew.</summary>
    private void OnBucket(int bucket, LWWDictionary<long, string> map)
    {
        var before = _buckets.GetValueOrDefault(bucket) ?? LWWDictionary<long, string>.Empty;
        _buckets[bucket] = map;
        foreach (var keyId in KeyBudgetBuckets.Changed(before.Entries, map.Entries)) Apply(keyId, map);
    }

    private void Apply(string keyId, LWWDictionary<long, string> bucket) =>
        _budget.SetRemote(keyId, KeyBudgetBuckets.Others(bucket.Entries.Values, keyId, _self));

    /// <summary>
    /// A removed node holds nothing: its entries leave the buckets (any node may remove them; removing twice is harmless).
    /// Which entries is decided inside each update, on the replica as it is then, not on this actor's last view of it: an
    /// entry of the node's that reached the replica but not yet this actor must go too.
    /// </summary>
    private void Forget(long node)
    {
        foreach (var (bucket, map) in _buckets.ToList())
        {
            Update(KeyBudgetBuckets.KeyOf(bucket), m => WithoutNode(m, node));
            var without = WithoutNode(map, node);
            if (!ReferenceEquals(without, map)) OnBucket(bucket, without);
        }
    }

    private LWWDictionary<long, string> WithoutNode(LWWDictionary<long, string> map, long node) =>
        map.Entries.Where(e => KeyBudgetBuckets.Decode(e.Value)?.Node == node)
            .Aggregate(map, (current, entry) => current.Remove(_cluster, entry.Key));

    /// <summary>
    /// Entries of nodes that are no member, seen at two sweeps in a row (a node that joined may not be in this node's view
    /// yet), are forgotten as a removed node's: one that arrived by gossip after its node's removal, or whose removal this
    /// node never saw (it joined later, or this actor was restarted).
    /// </summary>
    private void ForgetNonMembers(IEnumerable<KeyBudgetBuckets.Entry> entries)
    {
        var members = _cluster.State.Members.Select(m => NodeId(m.UniqueAddress)).ToHashSet();
        var absent = entries.Select(e => e.Node).Where(node => !members.Contains(node)).ToHashSet();
        foreach (var node in absent.Where(_absentAtLastSweep.Contains)) Forget(node);
        _absentAtLastSweep = absent;
    }

    /// <summary>
    /// Also a restart's start: the earlier instance's view of the buckets is gone, so what it gave the budget as the other
    /// nodes' holdings is forgotten (the subscriptions below deliver every bucket again, and a key whose entries were removed
    /// meanwhile would otherwise keep them), and every key this node holds is published again (a change that was waiting
    /// to be published when it stopped would otherwise wait for the key's next one).
    /// </summary>
    protected override void PreStart()
    {
        _budget.ForgetRemote();
        _budget.Changed += _onChanged;
        foreach (var keyId in _budget.LocalKeys()) Self.Tell(new Dirty(keyId));
        foreach (var key in KeyBudgetBuckets.All) _replicator.Tell(Dsl.Subscribe(key, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.MemberUp));
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, _sweepInterval);
    }

    protected override void PostStop()
    {
        _budget.Changed -= _onChanged;
        _cluster.Unsubscribe(Self);
    }
}

/// <summary>Registers the replication of the key budgets.</summary>
public static class KeyBudgetReplicatorExtensions
{
    public static AkkaConfigurationBuilder AddKeyBudgetReplication(this AkkaConfigurationBuilder builder, KeySymbolBudget budget) =>
        builder.WithActors((system, _) => system.ActorOf(KeyBudgetReplicator.Props(budget), "key-budgets"));
}
