using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>The node's snapshot reads, gathered into batch requests against a real simulator.</summary>
public sealed class SnapshotBatcherSpecs : IAsyncLifetime
{
    private const string Key = "batcher-key";
    private const string BatchPath = "/v2/snapshot/locale/us/markets/stocks/tickers";
    private RunningSimulator _simulator = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    private SnapshotBatcher Batcher(string? key = Key, PolygonOptions? cache = null)
    {
        var rest = new PolygonRestClient(_http, new PolygonOptions { ApiKey = key, RestUrl = _simulator.HttpUrl.ToString() });
        return new SnapshotBatcher(() => rest, cache);
    }

    [Fact]
    public async Task Fifty_symbols_asked_at_once_are_read_in_one_request_and_each_gets_its_own_day()
    {
        var symbols = Enumerable.Range(0, 50).Select(i => $"B{i:D2}").ToList();
        foreach (var symbol in symbols) _simulator.Market.Walk(symbol).Next(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var batcher = Batcher();

        var days = await Task.WhenAll(symbols.Select(batcher.GetAsync));

        Assert.Equal(1, _simulator.Market.RestCalls(BatchPath));
        Assert.DoesNotContain(_simulator.Market.Report().RestCalls.Keys, p => p.StartsWith(BatchPath + "/"));
        for (var i = 0; i < symbols.Count; i++)
        {
            Assert.Equal(symbols[i], days[i].Day!.Symbol);
            Assert.Equal(_simulator.Market.Walk(symbols[i]).Price, days[i].Day!.Close);
            Assert.Equal(_simulator.Market.Walk(symbols[i]).PreviousClose, days[i].PreviousClose);
        }
    }

    [Fact]
    public async Task A_caller_whose_reads_are_answered_leaves_nothing_behind()
    {
        // Callers are client keys and bearer-token users: thousands come and go over the weeks a node runs.
        _simulator.Market.Walk("AAPL");
        var batcher = Batcher(cache: new PolygonOptions { SnapshotCacheDuration = TimeSpan.Zero });

        var reads = Enumerable.Range(0, 20).Select(i => batcher.GetAsync("AAPL", ProviderCaller.Client($"user-{i}"))).ToList();
        Assert.Equal(20, batcher.Callers);
        await Task.WhenAll(reads);

        Assert.Equal(0, batcher.Callers);
        Assert.Equal(20, _simulator.Market.RestCalls(BatchPath)); // each charged to its own caller
    }

    [Fact]
    public async Task Reads_after_a_batch_went_out_start_the_next_one()
    {
        _simulator.Market.Walk("AAPL");
        _simulator.Market.Walk("MSFT");
        var batcher = Batcher();

        await batcher.GetAsync("AAPL");
        await batcher.GetAsync("MSFT");

        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));
    }

    [Fact]
    public async Task A_refused_read_answers_with_the_reason_instead_of_failing()
    {
        var day = await Batcher(key: "wrong-key").GetAsync("AAPL");

        Assert.Null(day.Day);
        Assert.NotNull(day.Failure);
        Assert.DoesNotContain("wrong-key", day.Failure);
    }

    [Fact]
    public async Task A_symbol_the_provider_does_not_know_has_no_day()
    {
        var day = await Batcher().GetAsync("NOPE.X");

        Assert.Null(day.Day);
        Assert.Equal("no snapshot published", day.Failure);
    }
    [Fact]
    public async Task Whatever_fails_every_read_of_the_batch_is_still_answered()
    {
        var batcher = new SnapshotBatcher(() => throw new ObjectDisposedException("the client, at shutdown"));

        var days = await Task.WhenAll(batcher.GetAsync("AAPL"), batcher.GetAsync("MSFT")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(days, d => Assert.Equal((null, nameof(ObjectDisposedException)), (d.Day, d.Failure)));
    }

    [Fact]
    public async Task A_symbol_read_moments_ago_is_answered_without_a_provider_call_unless_asked_fresh()
    {
        _simulator.Market.Walk("KO");
        var batcher = Batcher();

        var first = await batcher.GetAsync("KO");
        var again = await batcher.GetAsync("KO");
        Assert.Equal(1, _simulator.Market.RestCalls(BatchPath));
        Assert.Equal(first, again);

        await batcher.GetFreshAsync("KO");
        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));
    }

    [Fact]
    public async Task Reads_for_different_callers_go_out_in_batches_of_their_own_and_both_are_kept()
    {
        _simulator.Market.Walk("AAPL");
        _simulator.Market.Walk("MSFT");
        var batcher = Batcher();

        await Task.WhenAll(batcher.GetAsync("AAPL", ProviderCaller.Client("#0")), batcher.GetAsync("MSFT", ProviderCaller.Client("#1")), batcher.GetAsync("AAPL", ProviderCaller.Client("#0")));
        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));

        // Kept for everyone: the server's own read of either costs nothing.
        await Task.WhenAll(batcher.GetAsync("AAPL"), batcher.GetAsync("MSFT"));
        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));
    }

    [Fact]
    public async Task With_a_cache_duration_of_zero_nothing_is_kept()
    {
        _simulator.Market.Walk("KO");
        var batcher = Batcher(cache: new PolygonOptions { SnapshotCacheDuration = TimeSpan.Zero });

        await batcher.GetAsync("KO");
        await batcher.GetAsync("KO");

        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));
    }

    [Fact]
    public async Task Past_the_cache_entries_a_new_symbol_is_not_kept_and_the_kept_ones_stay()
    {
        _simulator.Market.Walk("KO");
        _simulator.Market.Walk("PEP");
        var batcher = Batcher(cache: new PolygonOptions { SnapshotCacheEntries = 1 });

        await batcher.GetAsync("KO");
        await batcher.GetAsync("PEP");
        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));

        await batcher.GetAsync("KO");
        Assert.Equal(2, _simulator.Market.RestCalls(BatchPath));
        await batcher.GetAsync("PEP");
        Assert.Equal(3, _simulator.Market.RestCalls(BatchPath));
    }
}
