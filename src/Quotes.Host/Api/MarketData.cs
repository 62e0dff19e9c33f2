using System.ComponentModel;
using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Caching.Hybrid;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Telemetry;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Host.Api;

/// <summary>
/// Answers the REST API: live state from the symbol's entity first; for a symbol nobody streams, the provider's snapshot
/// through the node's <see cref="SnapshotBatcher"/> (one batch request for all the symbols asked in the same moment, kept
/// <c>Polygon:SnapshotCacheDuration</c>), and when the snapshot has no price or the plan has none, the previous session's bar
/// from <see cref="PreviousCloses"/> (one grouped read of every ticker a day; one <c>/prev</c> per symbol only when the plan
/// refuses grouped bars too); everything else from Polygon's REST API through a short cache with single-flight
/// per key (HybridCache), so a burst of identical requests makes one upstream call. Only a symbol some client streams (the
/// upstream singleton says so) is read from its entity: a read never creates an entity or an upstream subscription for a
/// symbol nobody streams. Every provider call is charged to the calling key's share of the provider budget
/// (<see cref="ProviderCaller"/>). Every lookup is counted as a hit or a miss (a miss is one that ran the provider call; a
/// request that waited on another's call is a hit). An answer larger than <c>Limits:RestCacheEntryBytes</c> is served to the
/// requests waiting on it but not cached.
/// </summary>
public sealed class MarketData(IRequiredActor<SymbolActor> region, IRequiredActor<UpstreamActor> upstream, PolygonRestClient polygon, SnapshotBatcher snapshots,
    PreviousCloses previousCloses, BoundedCache cache, QuotesMetrics metrics, QueryLimitOptions limits)
{
    /// <summary>
    /// Cached values are handed out by reference; the wrapper is immutable, so HybridCache need not copy it. HybridCache still
    /// serializes it once to charge its size against <c>Limits:RestCacheBytes</c>; <see cref="BoundedCache"/> applies the
    /// entry limit.
    /// </summary>
    [ImmutableObject(true)]
    public sealed record Cached<T>(T Value);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);
    private static readonly HybridCacheEntryOptions Daily = Expire(TimeSpan.FromMinutes(1));
    private static readonly HybridCacheEntryOptions Reference = Expire(TimeSpan.FromMinutes(5));
    private static readonly HybridCacheEntryOptions Status = Expire(TimeSpan.FromSeconds(5));
    private static readonly HybridCacheEntryOptions Chain = Expire(TimeSpan.FromSeconds(5));

    /// <summary>The symbol's quote: <c>live</c>, else <c>snapshot</c>, else <c>previous-close</c>; null when nothing knows it.</summary>
    public async Task<Quote?> QuoteAsync(string symbol, ProviderCaller caller, CancellationToken ct) => (await QuotesAsync([symbol], caller, ct))[0];

    /// <summary>
    /// Each symbol's quote as <see cref="QuoteAsync(string, ProviderCaller, CancellationToken)"/> answers it, asking the upstream once which of them are streamed; the
    /// snapshots of the others are read together, in one provider request.
    /// </summary>
    public async Task<Quote?[]> QuotesAsync(IReadOnlyList<string> symbols, ProviderCaller caller, CancellationToken ct)
    {
        var streamed = await StreamedAsync(symbols, ct);
        return await Task.WhenAll(symbols.Select(s => QuoteAsync(s, streamed.Contains(s), caller, ct)));
    }

    private async Task<Quote?> QuoteAsync(string symbol, bool streamed, ProviderCaller caller, CancellationToken ct)
    {
        if (streamed && await LiveAsync(symbol, ct) is { } live) return live with { Source = QuoteSources.Live };

        var read = snapshots.GetAsync(symbol, caller);
        metrics.CacheLookup("snapshot", hit: read.IsCompleted); // a kept snapshot is answered at once; any other waits for its batch
        var snapshot = await read.WaitAsync(ct);
        if (snapshot.Snapshot is { } t && PolygonRestClient.LastPrice(t) > 0) return ProviderQuotes.FromSnapshot(symbol, t);
        switch (snapshot.Error?.Failure)
        {
            case null when snapshot.Snapshot is null:
                return null; // the provider lists no such symbol: no per-symbol call for what nobody knows
            case null or PolygonFailure.NotFound or PolygonFailure.Refused:
                break; // a snapshot without a price, or a plan without snapshots: the previous close answers
            default:
                throw snapshot.Error!.Again(); // the provider is failing, or a budget is spent: 503 or 429 with Retry-After
        }

        var grouped = previousCloses.GetAsync(caller);
        metrics.CacheLookup("grouped-daily", hit: grouped.IsCompleted); // a kept day is answered at once; any other waits for the one read
        PreviousCloses.Book book;
        try
        {
            book = await grouped.WaitAsync(ct);
        }
        catch (PolygonRestException e)
        {
            throw e.Again(); // the provider is failing, or a budget is spent: 503 or 429 with Retry-After
        }
        if (!book.Refused) return book.Bars.TryGetValue(symbol, out var day) ? ProviderQuotes.FromPreviousDay(symbol, day) : null; // not in the grouped day: nobody knows it

        // A plan without grouped bars either: the symbol's own previous close, kept a while.
        var previous = await CachedAsync("previous-close", $"prev:{symbol}", (polygon: polygon.As(caller), symbol),
            static async (s, token) => new Cached<PolygonAggBar?>(await s.polygon.GetPreviousDayAsync(s.symbol, token)), Daily, ct);
        return previous.Value is { } bar ? ProviderQuotes.FromPreviousDay(symbol, bar) : null;
    }

    public async Task<HistoricalBars> HistoryAsync(MarketQueries.HistoryQuery q, ProviderCaller caller, CancellationToken ct)
    {
        var bars = await CachedAsync("history", $"history:{q.Symbol}:{q.Multiplier}:{q.Timespan}:{q.From:yyyy-MM-dd}:{q.To:yyyy-MM-dd}", (polygon: polygon.As(caller), q, max: limits.MaxHistoryBars),
            static async (s, token) => new Cached<IReadOnlyList<PolygonAggBar>>(
                await s.polygon.GetAggregatesAsync(s.q.Symbol, s.q.Multiplier, s.q.Timespan, s.q.From, s.q.To, s.max, token)),
            Daily, ct);
        var ordered = bars.Value.OrderBy(b => b.Time).Select(b => new HistoricalBar(b.Time, b.Open, b.High, b.Low, b.Close, b.Volume, b.Vwap, b.Transactions)).ToList();
        return new HistoricalBars(q.Symbol, q.Timespan, q.Multiplier, ordered);
    }

    public async Task<IReadOnlyList<TickerMatch>> SearchAsync(string query, int limit, ProviderCaller caller, CancellationToken ct)
    {
        var found = await CachedAsync("search", $"search:{query.ToUpperInvariant()}:{limit}", (polygon: polygon.As(caller), query, limit),
            static async (s, token) => new Cached<IReadOnlyList<PolygonTickerResult>>(await s.polygon.SearchTickersAsync(s.query, s.limit, token)),
            Reference, ct);
        return found.Value.Select(t => new TickerMatch(t.Ticker, t.Name, t.Market, t.PrimaryExchange, t.Type, t.Active ?? true)).ToList();
    }

    public async Task<MarketStatusData> StatusAsync(ProviderCaller caller, CancellationToken ct)
    {
        var status = await CachedAsync("status", "market-status", polygon.As(caller),
            static async (p, token) => new Cached<PolygonMarketStatus>(await p.GetMarketStatusAsync(token)), Status, ct);
        var s = status.Value;
        return new MarketStatusData(s.Market ?? MarketCalendar.StateAt(DateTimeOffset.UtcNow), s.ServerTime, new ExchangeStatus(s.Exchanges?.Nyse, s.Exchanges?.Nasdaq));
    }

    /// <summary>
    /// The option chain from the provider's chain snapshot, at most <paramref name="maxContracts"/> contracts
    /// (<c>Limits:MaxOptionContracts</c>), by expiry, strike and type; kept <see cref="Chain"/>, since its prices move.
    /// </summary>
    public async Task<IReadOnlyList<OptionContractData>> OptionsAsync(MarketQueries.OptionsQuery q, int maxContracts, ProviderCaller caller, CancellationToken ct)
    {
        var key = $"options:{q.Symbol}:{q.Expiry:yyyy-MM-dd}:{q.Type}:{q.StrikeMin?.ToString(CultureInfo.InvariantCulture)}:{q.StrikeMax?.ToString(CultureInfo.InvariantCulture)}:{maxContracts}";
        var contracts = await CachedAsync("options", key, (polygon: polygon.As(caller), q, maxContracts),
            static async (s, token) =>
            {
                var chain = await s.polygon.GetOptionChainAsync(s.q.Symbol, s.q.Expiry, s.q.Type, s.q.StrikeMin, s.q.StrikeMax, s.maxContracts, token);
                return new Cached<IReadOnlyList<OptionContractData>>(chain.Where(c => c.Details?.Ticker is { Length: > 0 }).Select(c => ContractOf(s.q.Symbol, c))
                    .OrderBy(c => c.Expiry, StringComparer.Ordinal).ThenBy(c => c.Strike).ThenBy(c => c.Type, StringComparer.Ordinal)
                    .ToList());
            },
            Chain, ct);
        return contracts.Value;
    }

    /// <summary>Every expiration date of the symbol's options, ascending, from every page of the provider's contract list.</summary>
    public async Task<IReadOnlyList<string>> ExpirationsAsync(string symbol, ProviderCaller caller, CancellationToken ct)
    {
        var expiries = await CachedAsync("expirations", $"expirations:{symbol}", (polygon: polygon.As(caller), symbol),
            static async (s, token) => new Cached<IReadOnlyList<string>>(await s.polygon.GetOptionExpirationsAsync(s.symbol, token)), Daily, ct);
        return expiries.Value;
    }

    private static OptionContractData ContractOf(string symbol, PolygonOptionSnapshot c) =>
        new(c.Details!.Ticker!, c.UnderlyingAsset?.Ticker ?? symbol, c.Details.Type ?? "", c.Details.StrikePrice ?? 0, c.Details.ExpirationDate ?? "")
        {
            Bid = c.LastQuote?.Bid, Ask = c.LastQuote?.Ask, Last = c.LastTrade?.Price ?? c.Day?.Close, Iv = c.ImpliedVolatility,
            Delta = c.Greeks?.Delta, Gamma = c.Greeks?.Gamma, Theta = c.Greeks?.Theta, Vega = c.Greeks?.Vega,
            OpenInterest = c.OpenInterest is { } oi ? (long)oi : null, Volume = c.Day?.Volume is { } v ? (long)v : null,
            BreakEven = c.BreakEvenPrice, UnderlyingPrice = c.UnderlyingAsset?.Price,
        };

    /// <summary>The symbols some client streams now; none when the upstream does not answer in time (the provider answers then).</summary>
    private async Task<HashSet<string>> StreamedAsync(IReadOnlyList<string> symbols, CancellationToken ct)
    {
        try
        {
            var reply = await upstream.ActorRef.Ask<UpstreamProtocol.Streamed>(new UpstreamProtocol.GetStreamed(symbols), AskTimeout, ct);
            return reply.Symbols.ToHashSet(StringComparer.Ordinal);
        }
        catch (AskTimeoutException)
        {
            return [];
        }
    }

    private async ValueTask<T> CachedAsync<TState, T>(string kind, string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions options, CancellationToken ct)
    {
        var (value, _) = await cache.GetOrCreateAsync(kind, key, state, factory, BoundedCache.JsonBytes, options, ct);
        return value;
    }

    private async Task<Quote?> LiveAsync(string symbol, CancellationToken ct)
    {
        try
        {
            var reply = await region.ActorRef.Ask<SymbolProtocol.CurrentQuote>(new SymbolProtocol.GetQuote(symbol), AskTimeout, ct);
            return reply.Quote;
        }
        catch (AskTimeoutException)
        {
            return null; // the entity is busy or moving between nodes: the REST fallback answers
        }
    }

    private static HybridCacheEntryOptions Expire(TimeSpan after) => new() { Expiration = after, LocalCacheExpiration = after };
}
