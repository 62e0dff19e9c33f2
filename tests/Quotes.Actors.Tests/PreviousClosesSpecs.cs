using System.Globalization;
using System.Net;
using System.Text;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>The previous session's bars of every ticker, read from grouped daily bars against a real simulator.</summary>
public sealed class PreviousClosesSpecs : IAsyncLifetime
{
    private const string Key = "previous-key";
    private const string GroupedPrefix = "/v2/aggs/grouped/locale/us/market/stocks/";
    private RunningSimulator _simulator = null!;
    private readonly Unpublished _unpublished = new() { InnerHandler = new HttpClientHandler() };
    private readonly HttpClient _http;

    public PreviousClosesSpecs() => _http = new HttpClient(_unpublished);

    public async Task InitializeAsync() => _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    private static DateOnly Today => DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));

    private int GroupedCalls => _simulator.Market.Report().RestCalls.Where(c => c.Key.StartsWith(GroupedPrefix, StringComparison.Ordinal)).Sum(c => c.Value);

    private PreviousCloses Closes(DateOnly today, Func<DateTime>? utcNow = null)
    {
        var rest = new PolygonRestClient(_http, new PolygonOptions { ApiKey = Key, RestUrl = _simulator.HttpUrl.ToString() });
        return new PreviousCloses(() => rest, () => today, utcNow);
    }

    [Fact]
    public async Task Concurrent_reads_share_one_grouped_request_and_the_day_is_kept()
    {
        var closes = Closes(Today);
        _simulator.Market.Faults.RestDelay = TimeSpan.FromMilliseconds(200); // the read is still in flight when the others ask

        var books = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => closes.GetAsync(ProviderCaller.Server)));
        var again = await closes.GetAsync(ProviderCaller.Client("#0"));

        Assert.Equal(1, GroupedCalls);
        Assert.All(books, b => Assert.Same(books[0], b));
        Assert.Same(books[0], again);
        Assert.Equal(MarketCalendar.PreviousTradingDay(Today), books[0].Date);
        Assert.Equal(ReferenceTickers.All.Count, books[0].Bars.Count);
        Assert.Equal(_simulator.Market.Walk("AAPL").PreviousClose, books[0].Bars["AAPL"].Close);
    }

    [Fact]
    public async Task A_date_without_bars_is_stepped_back_from_to_the_last_session()
    {
        // Tomorrow's server (or the next trading day's) asks first for a session the provider has not published yet.
        var tomorrow = Today.AddDays(1);
        while (!MarketCalendar.IsTradingDay(tomorrow)) tomorrow = tomorrow.AddDays(1);
        var lastSession = MarketCalendar.PreviousTradingDay(Today);

        var book = await Closes(tomorrow).GetAsync(ProviderCaller.Server);

        Assert.Equal(lastSession, book.Date);
        Assert.Equal(MarketCalendar.IsTradingDay(Today) ? 2 : 1, GroupedCalls);
        Assert.Equal(_simulator.Market.Walk("MSFT").PreviousClose, book.Bars["MSFT"].Close);
    }

    [Fact]
    public async Task A_session_not_yet_published_is_asked_for_again_soon_and_then_replaces_the_older_one()
    {
        // The first read after New York midnight: the provider has not published the last session's bars yet.
        var session = MarketCalendar.PreviousTradingDay(Today);
        var older = MarketCalendar.PreviousTradingDay(session);
        _unpublished.Answer(session, emptyTimes: 1);
        var now = DateTime.UtcNow;
        var closes = Closes(Today, () => now);

        var early = await closes.GetAsync(ProviderCaller.Server);
        var meanwhile = await closes.GetAsync(ProviderCaller.Server);
        now += PreviousCloses.EmptyKept;
        var published = await closes.GetAsync(ProviderCaller.Server);
        now += TimeSpan.FromHours(12);
        var kept = await closes.GetAsync(ProviderCaller.Server);

        Assert.Equal(older, early.Date);
        Assert.Same(early, meanwhile);
        Assert.Equal(session, published.Date);
        Assert.Equal(_simulator.Market.Walk("AAPL").PreviousClose, published.Bars["AAPL"].Close);
        Assert.Same(published, kept);
        Assert.Equal(2, _unpublished.Asked);
        Assert.Equal(2, GroupedCalls); // the older session once, the last one once published
    }

    [Fact]
    public async Task While_the_session_stays_unpublished_only_it_is_asked_for_again()
    {
        var session = MarketCalendar.PreviousTradingDay(Today);
        _unpublished.Answer(session, emptyTimes: int.MaxValue); // a holiday the calendar does not know, say
        var now = DateTime.UtcNow;
        var closes = Closes(Today, () => now);

        var first = await closes.GetAsync(ProviderCaller.Server);
        now += PreviousCloses.EmptyKept;
        var second = await closes.GetAsync(ProviderCaller.Server);

        Assert.Equal(MarketCalendar.PreviousTradingDay(session), second.Date);
        Assert.Same(first.Bars, second.Bars);
        Assert.Equal(2, _unpublished.Asked);
        Assert.Equal(1, GroupedCalls); // the older session's bars are not read again
    }

    [Fact]
    public async Task Dates_without_bars_are_tried_a_bounded_number_of_times_and_the_empty_answer_is_kept_a_while()
    {
        var closes = Closes(Today.AddDays(60));

        var book = await closes.GetAsync(ProviderCaller.Server);
        var again = await closes.GetAsync(ProviderCaller.Server);

        Assert.Null(book.Date);
        Assert.Empty(book.Bars);
        Assert.False(book.Refused);
        Assert.Same(book, again);
        Assert.Equal(PreviousCloses.MaxDaysBack, GroupedCalls);
    }

    [Fact]
    public async Task A_failed_read_is_not_kept_and_a_refused_one_says_so()
    {
        var closes = Closes(Today);
        _simulator.Market.Faults.FailNextRestRequests(1, 503, GroupedPrefix);

        var failed = await Assert.ThrowsAsync<PolygonRestException>(() => closes.GetAsync(ProviderCaller.Server));
        var read = await closes.GetAsync(ProviderCaller.Server);
        _simulator.Market.Faults.GroupedRefused = true;
        var refused = await Closes(Today).GetAsync(ProviderCaller.Server);

        Assert.Equal(PolygonFailure.Unavailable, failed.Failure);
        Assert.NotEmpty(read.Bars);
        Assert.True(refused.Refused);
        Assert.Empty(refused.Bars);
        Assert.Equal(3, GroupedCalls);
    }

    /// <summary>Answers grouped bars of one date with no bars (as Polygon does a day it has not published) a number of times.</summary>
    private sealed class Unpublished : DelegatingHandler
    {
        private string? _path;
        private int _left;

        /// <summary>Requests for the date answered empty.</summary>
        public int Asked { get; private set; }

        public void Answer(DateOnly date, int emptyTimes) =>
            (_path, _left) = (GroupedPrefix + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), emptyTimes);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (_path is null || request.RequestUri?.AbsolutePath != _path) return base.SendAsync(request, ct);
            Asked++;
            if (_left <= 0) return base.SendAsync(request, ct);
            _left--;
            var body = """{"status":"OK","request_id":"unpublished","queryCount":0,"resultsCount":0,"adjusted":true}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
