using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using Akka.Hosting;

namespace Quotes.Actors.Sessions;

/// <summary>
/// Makes each key's symbol budget (<see cref="KeySymbolBudget"/>) cluster-wide with Akka.DistributedData: per client key one
/// replicated map from node to what the key holds and took on there (<see cref="KeyHoldings"/>). Each node writes only its
/// own entry, locally (<c>WriteLocal</c>), a moment after its holdings change (per subscribe or release, never per quote);
/// gossip carries it to the others, whose budgets take it as the key's holdings elsewhere. A removed node's entry is
/// dropped. So an admission is answered at once from the local view, and views meet within about a gossip interval: two
/// nodes admitting for the same key in the same moment may together overshoot by what each admitted meanwhile.
/// <para>
/// The map is keyed by <see cref="NodeId"/>, a number, not by the node's address: Akka.NET writes a map's entries in the
/// order of its hash table, and a string's hash differs from process to process, so a map keyed by strings had different
/// bytes, and so a different digest, on every node. Replicas whose digests differ gossip their whole value to each other,
/// and they never stop: every key's map crossed the cluster every gossip interval, forever. A number hashes the same in
/// every process, so the replicas agree once they hold the same entries and gossip only digests. Once every member runs
/// this version, each node deletes the older maps (<see cref="RetireOldMaps"/>), which would otherwise go on being gossiped.
/// </para>
/// </summary>
public sealed class KeyBudgetReplicator : ReceiveActor, IWithTimers
{
    /// <summary>How long changes gather before this node publishes them: one write per burst of subscribes.</summary>
    public static readonly TimeSpan PublishDelay = TimeSpan.FromMilliseconds(50);

    private sealed record Dirty(string KeyId);
    // A tick to self: it leaves a receive timeout alone and makes no dead-letter noise once the actor is gone.
    private sealed class Publish : INotInfluenceReceiveTimeout, IDeadLetterSuppression { public static readonly Publish Instance = new(); }

    private readonly KeySymbolBudget _budget;
    private readonly Dictionary<string, string> _keyIdOf = new(StringComparer.Ordinal); // replicated key id → client key id
    private readonly Dictionary<string, LWWDictionary<long, string>> _latest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly long _self;
    private readonly Action<string> _onChanged;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _oldMapsRetired;

    public KeyBudgetReplicator(KeySymbolBudget budget, IEnumerable<string> keyIds)
    {
        _budget = budget;
        _self = NodeId(_cluster.SelfUniqueAddress);
        foreach (var keyId in keyIds) _keyIdOf[KeyOf(keyId).Id] = keyId;
        var self = Self;
        _onChanged = keyId => self.Tell(new Dirty(keyId));

        Receive<Dirty>(d =>
        {
            Watch(d.KeyId);
            if (_dirty.Add(d.KeyId) && _dirty.Count == 1) Timers.StartSingleTimer("publish", Publish.Instance, PublishDelay);
        });
        Receive<Publish>(_ => PublishDirty());
        Receive<Changed>(c =>
        {
            if (!_keyIdOf.TryGetValue(c.Key.Id, out var keyId)) return;
            _latest[keyId] = c.Get(KeyOf(keyId));
            Apply(keyId);
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            Forget(NodeId(m.Member.UniqueAddress));
            RetireOldMaps(m.Member, removed: true);
        });
        Receive<ClusterEvent.MemberUp>(m => RetireOldMaps(m.Member, removed: false));
        Receive<GetKeysIdsResult>(r =>
        {
            foreach (var id in r.Keys.Where(id => id.StartsWith(OldMapPrefix, StringComparison.Ordinal)))
                _replicator.Tell(Dsl.Delete(new LWWDictionaryKey<string, string>(id), WriteLocal.Instance));
        });
        Receive<DeleteSuccess>(_ => { });
        Receive<DataDeleted>(_ => { }); // another node deleted it first
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(f => _log.Warning("Key budget: writing {0} failed ({1})", f.Key, f.GetType().Name));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(KeySymbolBudget budget, IEnumerable<string> keyIds) =>
        Akka.Actor.Props.Create(() => new KeyBudgetReplicator(budget, keyIds.ToList()));

    /// <summary>
    /// Follows a key this node did not know at start (a key added by a configuration reload, a bearer token's user) from
    /// its first use here on: until the other nodes' view of it arrives, this node admits from its own holdings only.
    /// </summary>
    private void Watch(string keyId)
    {
        if (_keyIdOf.TryAdd(KeyOf(keyId).Id, keyId)) _replicator.Tell(Dsl.Subscribe(KeyOf(keyId), Self));
    }

    /// <summary>
    /// The replicated map of one client key (its id is a hash, never the key). Named apart from the string-keyed map of
    /// versions before 1.3.0 (<see cref="OldMapPrefix"/>): a replica cannot merge two types under one name.
    /// </summary>
    public static LWWDictionaryKey<long, string> KeyOf(string keyId) => new("key-holdings-" + keyId);

    /// <summary>The name of every key's map before 1.3.0, keyed by node address (see the remarks above).</summary>
    private const string OldMapPrefix = "key-symbols-";

    /// <summary>The first version whose nodes keep the maps keyed by <see cref="NodeId"/>.</summary>
    private static readonly Akka.Util.AppVersion FirstByNodeId = Akka.Util.AppVersion.Create("1.3.0");

    /// <summary>
    /// Once every member keeps the maps by node id (a rolling upgrade from an older version is over), deletes the older
    /// maps, once per node: nobody reads them any more, and a replica keeps what it holds until it is deleted. Deleting
    /// one another node deleted first is harmless. The members are this node's view with the event's own change applied,
    /// since the view may not show it yet.
    /// </summary>
    private void RetireOldMaps(Member changed, bool removed)
    {
        var members = _cluster.State.Members.Where(m => !m.UniqueAddress.Equals(changed.UniqueAddress)).ToList();
        if (!removed) members.Add(changed);
        if (members.Count == 0 || members.Any(m => m.AppVersion.CompareTo(FirstByNodeId) < 0))
        {
            _oldMapsRetired = false; // an older node (re)joined: retire what it writes once it has left
            return;
        }
        if (_oldMapsRetired) return;
        _oldMapsRetired = true;
        _replicator.Tell(Dsl.GetKeyIds);
    }

    /// <summary>
    /// A node's key in the maps: the first 8 bytes of the SHA-256 of its address and incarnation
    /// (<c>akka.tcp://quotes@host:port#uid</c>), the same in every process, unlike <see cref="string.GetHashCode()"/>.
    /// </summary>
    public static long NodeId(UniqueAddress node)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{node.Address}#{node.Uid}");
        return BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private void PublishDirty()
    {
        var now = DateTime.UtcNow;
        foreach (var keyId in _dirty)
        {
            var encoded = _budget.Local(keyId, now).Encode();
            _replicator.Tell(Dsl.Update(KeyOf(keyId), LWWDictionary<long, string>.Empty, WriteLocal.Instance,
                map => map.SetItem(_cluster, _self, encoded)));
        }
        _dirty.Clear();
    }

    /// <summary>
    /// The key's holdings on every other node whose entry is still there, as the budget's remote view; nodes are ranked by
    /// their <see cref="NodeId"/>, so every node agrees which of two is charged for a symbol both took on.
    /// </summary>
    private void Apply(string keyId) =>
        _budget.SetRemote(keyId, _latest[keyId].Entries.Where(e => e.Key != _self)
            .Select(e => (KeyHoldings.Decode(e.Value), e.Key < _self)));

    /// <summary>A removed node holds nothing: its entries leave every key's map (any node may remove them; removing twice is harmless).</summary>
    private void Forget(long node)
    {
        foreach (var (keyId, map) in _latest.ToList())
        {
            if (!map.ContainsKey(node)) continue;
            _replicator.Tell(Dsl.Update(KeyOf(keyId), LWWDictionary<long, string>.Empty, WriteLocal.Instance, m => m.Remove(_cluster, node)));
            _latest[keyId] = map.Remove(_cluster, node);
            Apply(keyId);
        }
    }

    protected override void PreStart()
    {
        _budget.Changed += _onChanged;
        foreach (var keyId in _keyIdOf.Values) _replicator.Tell(Dsl.Subscribe(KeyOf(keyId), Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.MemberUp));
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
    public static AkkaConfigurationBuilder AddKeyBudgetReplication(this AkkaConfigurationBuilder builder, KeySymbolBudget budget, IEnumerable<string> keyIds) =>
        builder.WithActors((system, _) => system.ActorOf(KeyBudgetReplicator.Props(budget, keyIds), "key-budgets"));
}
