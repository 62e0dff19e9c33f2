using System.Collections.Frozen;
using Quotes.Contracts;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// The previous session's daily bar of every ticker, for REST quotes of symbols whose snapshot has no price or whose plan
/// has no snapshots: read with one provider request (grouped daily bars, <see cref="PolygonRestClient.GetGroupedDailyAsync"/>)
/// for the previous trading day (<see cref="MarketCalendar.PreviousTradingDay"/>), never one <c>/prev</c> per symbol. One
/// read per date, shared by every request that asks meanwhile (single flight), charged to the caller that started it;
/// kept until the next trading day. A date the provider has no bars for (a holiday the calendar does not know, a day not
/// yet published) is stepped back from, at most <see cref="MaxDaysBack"/> trading days; an older session found so is kept
/// only <see cref="EmptyKept"/>, so the wanted one is asked for again soon and replaces it once published (the older bars
/// are not read again meanwhile). A failed read is not kept.
/// <para>
/// Memory: only symbol → open, high, low, close, volume, vwap and time are kept, about 200 bytes a ticker with the
/// dictionary's entry and the symbol's string: some 2.5 MB for the ~12,000 US stock tickers, one day at a time. The read
/// itself parses the whole answer (a few MB of JSON) once a day.
/// </para>
/// </summary>
public sealed class PreviousCloses(Func<PolygonRestClient> rest, Func<DateOnly>? today = null, Func<DateTime>? utcNow = null)
{
    /// <summary>Trading days tried, newest first, before the answer is taken to be empty.</summary>
    public const int MaxDaysBack = 4;

    /// <summary>How long a plan's refusal of grouped bars is believed before asking again (an upgraded plan is noticed).</summary>
    public static readonly TimeSpan RefusalKept = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long an answer without the wanted session's bars is kept (an older session's, or none on any date tried): short,
    /// since the bars may be published any moment.
    /// </summary>
    public static readonly TimeSpan EmptyKept = TimeSpan.FromMinutes(1);

    private readonly Func<DateOnly> _today = today ?? (() => DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow)));
    private readonly Func<DateTime> _utcNow = utcNow ?? (() => DateTime.UtcNow);
    private readonly object _lock = new();
    private DateOnly _session;
    private Task<Book>? _read;

    /// <summary>
    /// The bars of one session (<see cref="Date"/>, null when none was found), or <see cref="Refused"/>: the provider refuses
    /// grouped bars (401/403, a plan without them), and each symbol's previous close must be read on its own.
    /// </summary>
    public sealed record Book(IReadOnlyDictionary<string, PolygonAggBar> Bars, DateOnly? Date, bool Refused, DateTime Until);

    /// <summary>
    /// The previous session's bars, kept or read now (the read, if one is needed, charged to <paramref name="caller"/>).
    /// Throws <see cref="PolygonRestException"/> when the provider fails (shared by every request that waited on the read:
    /// throw <see cref="PolygonRestException.Again"/>).
    /// </summary>
    public Task<Book> GetAsync(ProviderCaller caller)
    {
        var session = MarketCalendar.PreviousTradingDay(_today());
        lock (_lock)
        {
            if (_read is { } read && _session == session && !read.IsFaulted && !read.IsCanceled
                && !(read.IsCompletedSuccessfully && read.Result.Until <= _utcNow()))
                return read;
            var held = _read is { IsCompletedSuccessfully: true } done ? done.Result : null;
            _session = session;
            return _read = ReadAsync(session, held, caller);
        }
    }

    /// <summary>The bars of <paramref name="session"/>, else of the newest session before it; <paramref name="held"/>'s date is not read again.</summary>
    private async Task<Book> ReadAsync(DateOnly session, Book? held, ProviderCaller caller)
    {
        var client = rest().As(caller);
        var date = session;
        for (var tried = 0; tried < MaxDaysBack; tried++, date = MarketCalendar.PreviousTradingDay(date))
        {
            if (held?.Date == date) return held with { Until = KeptUntil(date, session) };
            IReadOnlyList<PolygonAggBar> bars;
            try
            {
                // No caller's token: the read is shared, and one request going away must not fail the others.
                bars = await client.GetGroupedDailyAsync(date, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PolygonRestException e) when (e.Failure == PolygonFailure.Refused)
            {
                return new Book(FrozenDictionary<string, PolygonAggBar>.Empty, null, Refused: true, _utcNow() + RefusalKept);
            }
            catch (PolygonRestException e) when (e.Failure == PolygonFailure.NotFound)
            {
                bars = [];
            }
            if (bars.Count == 0) continue;
            var byTicker = new Dictionary<string, PolygonAggBar>(bars.Count, StringComparer.Ordinal);
            foreach (var bar in bars) byTicker[bar.Ticker!] = bar;
            return new Book(byTicker, date, Refused: false, KeptUntil(date, session));
        }
        return new Book(FrozenDictionary<string, PolygonAggBar>.Empty, null, Refused: false, _utcNow() + EmptyKept);
    }

    /// <summary>The wanted session's bars are kept until the next session is wanted; an older session's only a short while.</summary>
    private DateTime KeptUntil(DateOnly date, DateOnly session) => date == session ? DateTime.MaxValue : _utcNow() + EmptyKept;
}
