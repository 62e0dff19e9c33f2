namespace Quotes.Actors.Polygon;

/// <summary>
/// Gathers the provider snapshot reads of a node's symbol entities for a moment and makes them as batch requests
/// (<see cref="PolygonRestClient.GetSnapshotsAsync"/>, up to 250 symbols each). When many symbols need the day at
/// once (a client subscribing to 50 new ones, the first aggregates of a trading day) the provider sees a handful of
/// requests, never one per symbol. Answers never fail: a failed read comes back as <see cref="ProviderDay.Failure"/>.
/// <para>
/// What was read is kept for <see cref="CacheFor"/> (at most <see cref="CacheEntries"/> symbols): entities that come and
/// go for the same symbols (a client subscribing and unsubscribing) read the previous close once, not each time. Only
/// the upstream's refill after a reconnect, which wants the day as it is now, reads past it.
/// </para>
/// </summary>
public sealed class SnapshotBatcher(Func<PolygonRestClient> rest)
{
    /// <summary>How long the first read of a batch waits for others to join it.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a read snapshot answers again; the previous close it carries holds all day, the day's range only moves forward.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>Symbols kept at most: twice the default cluster cap on symbols (<c>Polygon:MaxSymbols</c>).</summary>
    public const int CacheEntries = 10_000;

    private readonly object _lock = new();
    private Dictionary<string, TaskCompletionSource<ProviderDay>>? _pending;
    private readonly Dictionary<string, (ProviderDay Day, DateTime Until)> _read = new(StringComparer.Ordinal);

    /// <summary>
    /// The provider's snapshot of <paramref name="symbol"/>, read with whatever other symbols are asked for meanwhile, or
    /// kept from a read less than <see cref="CacheFor"/> ago.
    /// </summary>
    public Task<ProviderDay> GetAsync(string symbol) => GetAsync(symbol, fresh: false);

    /// <summary>As <see cref="GetAsync(string)"/>, but always read now (after an upstream outage, the day as it is now).</summary>
    public Task<ProviderDay> GetFreshAsync(string symbol) => GetAsync(symbol, fresh: true);

    private Task<ProviderDay> GetAsync(string symbol, bool fresh)
    {
        lock (_lock)
        {
            if (!fresh && _read.TryGetValue(symbol, out var kept) && kept.Until > DateTime.UtcNow) return Task.FromResult(kept.Day);
            if (_pending is null)
            {
                _pending = new Dictionary<string, TaskCompletionSource<ProviderDay>>(StringComparer.Ordinal);
                _ = ReadAfterWindowAsync();
            }
            if (!_pending.TryGetValue(symbol, out var answer))
                _pending[symbol] = answer = new TaskCompletionSource<ProviderDay>(TaskCreationOptions.RunContinuationsAsynchronously);
            return answer.Task;
        }
    }

    private async Task ReadAfterWindowAsync()
    {
        await Task.Delay(Window).ConfigureAwait(false);
        Dictionary<string, TaskCompletionSource<ProviderDay>> batch;
        lock (_lock)
        {
            batch = _pending!;
            _pending = null;
        }
        try
        {
            foreach (var chunk in batch.Chunk(PolygonRestClient.MaxTickersPerSnapshot))
            {
                try
                {
                    var found = await rest().GetSnapshotsAsync(chunk.Select(p => p.Key).ToList(), CancellationToken.None).ConfigureAwait(false);
                    foreach (var (symbol, answer) in chunk)
                    {
                        var read = found.TryGetValue(symbol, out var day) ? new ProviderDay(day.Bar, day.PreviousClose, null) : new ProviderDay(null, null, "no snapshot published");
                        Keep(symbol, read);
                        answer.TrySetResult(read);
                    }
                }
                catch (Exception e)
                {
                    // Whatever failed (the provider, a disposed client at shutdown, a bug): this chunk has no day; the next one may.
                    var reason = e is PolygonRestException ? e.Message : e.GetType().Name;
                    foreach (var (_, answer) in chunk) answer.TrySetResult(new ProviderDay(null, null, reason));
                }
            }
        }
        finally
        {
            foreach (var answer in batch.Values) answer.TrySetResult(new ProviderDay(null, null, "not read"));
        }
    }

    /// <summary>Keeps an answer the provider gave (failures are not kept: the next read may succeed), within the bound.</summary>
    private void Keep(string symbol, ProviderDay day)
    {
        var now = DateTime.UtcNow;
        lock (_lock)
        {
            if (_read.Count >= CacheEntries)
                foreach (var expired in _read.Where(r => r.Value.Until <= now).Select(r => r.Key).ToList()) _read.Remove(expired);
            if (_read.Count < CacheEntries || _read.ContainsKey(symbol)) _read[symbol] = (day, now + CacheFor);
        }
    }
}

/// <summary>A symbol's day so far from the provider's snapshot, as an aggregate, with the previous close; or why there is none.</summary>
public sealed record ProviderDay(AggregateBar? Day, decimal? PreviousClose, string? Failure);
