namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// Gathers the provider snapshot reads of a node (its symbol entities, and REST reads of symbols nobody streams) for a
/// moment and makes them as batch requests (<see cref="PolygonRestClient.GetSnapshotsAsync"/>, up to 250 symbols each).
/// When many symbols need the day at once (a client subscribing to 50 new ones, a REST read of 50 symbols, the first
/// aggregates of a trading day) the provider sees a handful of requests, never one per symbol. Answers never fail: a failed
/// read comes back as <see cref="ProviderDay.Failure"/> and <see cref="ProviderDay.Error"/>.
/// <para>
/// Reads are batched per caller (<see cref="ProviderCaller"/>), so that each batch is charged to the share of the provider
/// budget of whoever asked: a key flooding reads spends its own share, never the server's or another key's. A read joins
/// its caller's batch still gathering or already sent for the same symbol.
/// </para>
/// <para>
/// What was read is kept for <c>Polygon:SnapshotCacheDuration</c> (at most <c>Polygon:SnapshotCacheEntries</c> symbols),
/// for every caller: entities that come and go for the same symbols (a client subscribing and unsubscribing) and repeated
/// REST reads cost no provider call. Only the upstream's refill after a reconnect, which wants the day as it is now, reads
/// past it.
/// </para>
/// <para>
/// A plan without snapshots (the provider refuses them, 401/403 <c>NOT_AUTHORIZED</c>) is believed for
/// <see cref="RefusalKept"/>: meanwhile every read is answered with that refusal at once, without asking the provider
/// again, so that a basic plan's REST reads cost no snapshot request at all.
/// </para>
/// </summary>
public sealed class SnapshotBatcher(Func<PolygonRestClient> rest, PolygonOptions? options = null, LocalClock? clock = null)
{
    /// <summary>How long the first read of a batch waits for others to join it.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the provider's refusal of snapshots is believed before asking again (an upgraded plan is noticed).</summary>
    public static readonly TimeSpan RefusalKept = TimeSpan.FromMinutes(10);

    private readonly TimeSpan _cacheFor = (options ?? new PolygonOptions()).SnapshotCacheDuration;
    private readonly int _cacheEntries = (options ?? new PolygonOptions()).SnapshotCacheEntries;

    private readonly object _lock = new();
    private readonly Dictionary<ProviderCaller, Lane> _lanes = [];
    /// <summary>Times what is kept (<see cref="LocalClock"/>: a stepped wall clock neither empties nor freezes it).</summary>
    private readonly LocalClock _clock = clock ?? LocalClock.System;

    private readonly Dictionary<string, (ProviderDay Day, DateTime Until)> _read = new(StringComparer.Ordinal);
    private (ProviderDay Day, DateTime Until)? _refused;

    /// <summary>One caller's reads: those gathering for the next batch, and those sent and not yet answered.</summary>
    private sealed class Lane
    {
        public Dictionary<string, TaskCompletionSource<ProviderDay>>? Gathering;
        public readonly Dictionary<string, Task<ProviderDay>> Sent = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// The provider's snapshot of <paramref name="symbol"/> for the server's own use (an entity's day), read with whatever
    /// other symbols it asks for meanwhile, or kept from a recent read.
    /// </summary>
    public Task<ProviderDay> GetAsync(string symbol) => GetAsync(symbol, ProviderCaller.Server);

    /// <summary>As <see cref="GetAsync(string)"/>, the read (if one is needed) charged to <paramref name="caller"/>.</summary>
    public Task<ProviderDay> GetAsync(string symbol, ProviderCaller caller) => Get(symbol, caller, fresh: false);

    /// <summary>As <see cref="GetAsync(string)"/>, but always read now (after an upstream outage, the day as it is now).</summary>
    public Task<ProviderDay> GetFreshAsync(string symbol) => Get(symbol, ProviderCaller.Server, fresh: true);

    private Task<ProviderDay> Get(string symbol, ProviderCaller caller, bool fresh)
    {
        lock (_lock)
        {
            if (!fresh && _read.TryGetValue(symbol, out var kept) && kept.Until > _clock.Now) return Task.FromResult(kept.Day);
            if (!fresh && _refused is { } refused && refused.Until > _clock.Now) return Task.FromResult(refused.Day);
            if (!_lanes.TryGetValue(caller, out var lane)) _lanes[caller] = lane = new Lane();
            if (!fresh && lane.Sent.TryGetValue(symbol, out var sent)) return sent;
            if (lane.Gathering is null)
            {
                lane.Gathering = new Dictionary<string, TaskCompletionSource<ProviderDay>>(StringComparer.Ordinal);
                _ = ReadAfterWindowAsync(caller, lane);
            }
            if (!lane.Gathering.TryGetValue(symbol, out var answer))
                lane.Gathering[symbol] = answer = new TaskCompletionSource<ProviderDay>(TaskCreationOptions.RunContinuationsAsynchronously);
            return answer.Task;
        }
    }

    private async Task ReadAfterWindowAsync(ProviderCaller caller, Lane lane)
    {
        await Task.Delay(Window).ConfigureAwait(false);
        Dictionary<string, TaskCompletionSource<ProviderDay>> batch;
        lock (_lock)
        {
            batch = lane.Gathering!;
            lane.Gathering = null;
            foreach (var (symbol, answer) in batch) lane.Sent[symbol] = answer.Task;
        }
        try
        {
            foreach (var chunk in batch.Chunk(PolygonRestClient.MaxTickersPerSnapshot))
            {
                List<(TaskCompletionSource<ProviderDay> Answer, ProviderDay Read)> reads;
                try
                {
                    var found = await rest().As(caller).GetSnapshotsAsync(chunk.Select(p => p.Key).ToList(), CancellationToken.None).ConfigureAwait(false);
                    reads = chunk.Select(p => (p.Value, found.TryGetValue(p.Key, out var snapshot) ? ProviderDay.Of(p.Key, snapshot) : ProviderDay.Unlisted)).ToList();
                    lock (_lock) _refused = null;
                }
                catch (Exception e)
                {
                    // Whatever failed (the provider, the budget, a disposed client at shutdown, a bug): this chunk has no day; the next one may.
                    var failed = ProviderDay.Failed(e);
                    reads = chunk.Select(p => (p.Value, failed)).ToList();
                    if (failed.Error?.Failure == PolygonFailure.Refused)
                        lock (_lock) _refused = (failed, _clock.Now + RefusalKept);
                }
                // Kept and no longer in flight before anyone hears the answer, so that whoever asks next is answered from what was kept.
                lock (_lock)
                {
                    var now = _clock.Now;
                    // Expired entries leave once per chunk when it would not fit, not once per symbol: a flood of new symbols
                    // must not turn every answer into a scan of the whole cache.
                    if (_read.Count + reads.Count > _cacheEntries)
                        foreach (var expired in _read.Where(r => r.Value.Until <= now).Select(r => r.Key).ToList()) _read.Remove(expired);
                    foreach (var ((symbol, answer), (_, read)) in chunk.Zip(reads))
                    {
                        if (read.Error is null) Keep(symbol, read, now);
                        if (lane.Sent.TryGetValue(symbol, out var sent) && sent == answer.Task) lane.Sent.Remove(symbol);
                    }
                    Retire(caller, lane);
                }
                foreach (var (answer, read) in reads) answer.TrySetResult(read);
            }
        }
        finally
        {
            lock (_lock)
            {
                foreach (var (symbol, answer) in batch)
                    if (lane.Sent.TryGetValue(symbol, out var sent) && sent == answer.Task) lane.Sent.Remove(symbol);
                Retire(caller, lane);
            }
            foreach (var answer in batch.Values) answer.TrySetResult(new ProviderDay(null, null, "not read"));
        }
    }

    /// <summary>
    /// A caller with nothing gathering or in flight leaves, before anyone hears its answers (so whoever asks next finds it
    /// gone): callers are client keys and bearer-token users, who come and go. Under the lock.
    /// </summary>
    private void Retire(ProviderCaller caller, Lane lane)
    {
        if (lane.Gathering is null && lane.Sent.Count == 0 && _lanes.TryGetValue(caller, out var current) && current == lane) _lanes.Remove(caller);
    }

    /// <summary>Callers with reads gathering or in flight now.</summary>
    public int Callers
    {
        get
        {
            lock (_lock) return _lanes.Count;
        }
    }

    /// <summary>Keeps an answer the provider gave (failures are not kept: the next read may succeed), within the bound. Under the lock.</summary>
    private void Keep(string symbol, ProviderDay day, DateTime now)
    {
        if (_cacheFor <= TimeSpan.Zero) return;
        if (_read.Count < _cacheEntries || _read.ContainsKey(symbol)) _read[symbol] = (day, now + _cacheFor);
    }
}
