namespace Quotes.Actors.Polygon;

/// <summary>
/// Gathers the provider snapshot reads of a node's symbol entities for a moment and makes them as batch requests
/// (<see cref="PolygonRestClient.GetSnapshotsAsync"/>, up to 250 symbols each). When many symbols need the day at
/// once (a client subscribing to 50 new ones, the first aggregates of a trading day) the provider sees a handful of
/// requests, never one per symbol. Answers never fail: a failed read comes back as <see cref="ProviderDay.Failure"/>.
/// </summary>
public sealed class SnapshotBatcher(Func<PolygonRestClient> rest)
{
    /// <summary>How long the first read of a batch waits for others to join it.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    private readonly object _lock = new();
    private Dictionary<string, TaskCompletionSource<ProviderDay>>? _pending;

    /// <summary>The provider's snapshot of <paramref name="symbol"/>, read with whatever other symbols are asked for meanwhile.</summary>
    public Task<ProviderDay> GetAsync(string symbol)
    {
        lock (_lock)
        {
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
                        answer.TrySetResult(found.TryGetValue(symbol, out var day) ? new ProviderDay(day.Bar, day.PreviousClose, null) : new ProviderDay(null, null, "no snapshot published"));
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
}

/// <summary>A symbol's day so far from the provider's snapshot, as an aggregate, with the previous close; or why there is none.</summary>
public sealed record ProviderDay(AggregateBar? Day, decimal? PreviousClose, string? Failure);
