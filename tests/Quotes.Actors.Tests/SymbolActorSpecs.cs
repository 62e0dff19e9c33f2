using Akka.Actor;
using Akka.TestKit;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>The entity on its own, with its previous close fetched over HTTP from a real simulator.</summary>
public sealed class SymbolActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private const string SimulatorKey = "sim-key";
    private RunningSimulator _simulator = null!;
    private readonly HttpClient _http = new();


    private static readonly QuotesOptions Fast = new()
    {
        RenewInterval = TimeSpan.FromMilliseconds(100),
        LeaseDuration = TimeSpan.FromMilliseconds(400),
        IdleEntityAfter = TimeSpan.FromMinutes(5),
    };

    /// <summary>Renewals as fast, but leases that outlast any spec: for specs whose hubs do not renew.</summary>
    private static readonly QuotesOptions Steady = Fast with { LeaseDuration = TimeSpan.FromMinutes(5) };

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [SimulatorKey] });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    private (IActorRef Entity, TestProbe Upstream) Start(string symbol, string? restUrl = null, QuotesOptions? settings = null, LocalClock? clock = null)
    {
        var upstream = CreateTestProbe();
        var rest = new PolygonRestClient(_http, new PolygonOptions { ApiKey = SimulatorKey, RestUrl = restUrl ?? _simulator.HttpUrl.ToString() });
        var snapshots = new SnapshotBatcher(() => rest);
        return (Sys.ActorOf(Props.Create(() => new SymbolActor(symbol, upstream, Sys.ActorOf(Props.Create<UpdateBatcher>()), snapshots, settings ?? Fast, clock ?? LocalClock.System))), upstream);
    }

    private static SymbolProtocol.Aggregate Tick(string symbol, decimal close, long start, decimal officialOpen = 100m) =>
        new(symbol, QuoteStateSpecs.Bar(close, start) with { Symbol = symbol, OfficialOpen = officialOpen });

    [Fact]
    public async Task First_interest_wants_the_symbol_upstream_and_gets_an_empty_snapshot_before_any_price()
    {
        var (entity, upstream) = Start("AAPL");
        var hub = CreateTestProbe();

        entity.Tell(new SymbolProtocol.Interest("AAPL", hub, WantSnapshot: true), hub);

        await upstream.ExpectMsgAsync<UpstreamProtocol.Want>(w => Assert.Equal("AAPL", w.Symbol));
        Assert.Null((await hub.ExpectMsgAsync<SymbolProtocol.Snapshot>()).Quote);
    }

    [Fact]
    public async Task Quotes_carry_change_against_the_previous_close_from_the_REST_API()
    {
        var (entity, _) = Start("MSFT", settings: Steady);
        var hub = CreateTestProbe();
        var previousClose = _simulator.Market.Walk("MSFT").PreviousClose;
        entity.Tell(new SymbolProtocol.Interest("MSFT", hub, WantSnapshot: false), hub);

        await AwaitAssertAsync(async () =>
        {
            entity.Tell(Tick("MSFT", previousClose + 1m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), hub);
            var update = await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
            Assert.Equal(previousClose, update.Quote.PreviousClose);
            Assert.Equal(1m, update.Quote.Change);
        }, Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_new_subscriptions_first_quote_waits_for_the_providers_day_and_carries_the_previous_close()
    {
        // Found from outside: a client subscribing to a symbol nobody streamed got a first quote without previousClose
        // (its change against the day's open) whenever the first aggregate beat the provider's snapshot, then a second
        // one with it: the change jumped.
        var (entity, _) = Start("ADBE", settings: Steady);
        var hub = CreateTestProbe();
        var previousClose = _simulator.Market.Walk("ADBE").PreviousClose;
        entity.Tell(new SymbolProtocol.Interest("ADBE", hub, WantSnapshot: true), hub);
        entity.Tell(Tick("ADBE", previousClose + 1m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())); // before the REST answer

        Assert.Null((await hub.ExpectMsgAsync<SymbolProtocol.Snapshot>()).Quote);
        var update = await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>(Dilated(TimeSpan.FromSeconds(5)));
        var first = update.Quote;
        Assert.Equal(previousClose, first.PreviousClose);
        Assert.Equal(first.Price - previousClose, first.Change);
        // Held for the day, released with it: still the aggregate's update, a new event to time.
        Assert.False(update.NoNewEvent);
    }

    [Fact]
    public async Task A_symbol_the_provider_listed_only_once_subscribed_gets_its_previous_close_with_its_first_price()
    {
        // Found from outside: a symbol the provider starts publishing as it is subscribed (the simulator's made-up symbols,
        // a new listing) was read before it was listed; its quotes then went without previousClose for a minute, until the
        // next read. The first price says it is listed now: the day is read again at once.
        const string symbol = "QZQZ";
        Assert.False(_simulator.Market.Knows(symbol));
        var (entity, _) = Start(symbol, settings: Steady);
        var hub = CreateTestProbe();
        await EventFilter.Info(contains: $"No previous close for {symbol} (no snapshot published)").ExpectOneAsync(() =>
        {
            entity.Tell(new SymbolProtocol.Interest(symbol, hub, WantSnapshot: true), hub);
            return Task.CompletedTask;
        });
        Assert.Null((await hub.ExpectMsgAsync<SymbolProtocol.Snapshot>()).Quote);

        var previousClose = _simulator.Market.Walk(symbol).PreviousClose; // the provider lists it from now on
        entity.Tell(Tick(symbol, previousClose + 1m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        var first = (await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>(Dilated(TimeSpan.FromSeconds(5)))).Quote;
        Assert.Equal((previousClose, 1m, 1L), (first.PreviousClose, first.Change, first.Seq));
    }

    [Fact]
    public async Task A_first_quote_waits_for_a_silent_provider_no_longer_than_its_bound()
    {
        // A provider that accepts the snapshot request and never answers: the first quote goes out without its day.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var (entity, _) = Start("INTU", restUrl: $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/", settings: Steady);
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("INTU", hub, WantSnapshot: true), hub);
        entity.Tell(Tick("INTU", 101m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        Assert.Null((await hub.ExpectMsgAsync<SymbolProtocol.Snapshot>()).Quote);
        var first = (await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>(Dilated(SymbolActor.FirstQuoteWait + TimeSpan.FromSeconds(5)))).Quote;
        Assert.Equal((101m, (decimal?)null, 1L), (first.Price, first.PreviousClose, first.Seq));
    }

    [Fact]
    public async Task Without_a_previous_close_change_is_relative_to_the_open_and_the_entity_keeps_working()
    {
        var (entity, _) = Start("NVDA", restUrl: "http://127.0.0.1:1/", settings: Steady);
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("NVDA", hub, WantSnapshot: false), hub);

        entity.Tell(Tick("NVDA", 100m, 1_000));
        entity.Tell(Tick("NVDA", 102m, 2_000));

        await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
        var second = await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
        Assert.Null(second.Quote.PreviousClose);
        Assert.Equal(2m, second.Quote.Change); // against the day's official open of 100
        Assert.Equal(2, second.Quote.Seq);
    }

    [Fact]
    public async Task A_symbol_the_provider_publishes_nothing_for_is_information_and_only_a_failed_read_a_warning()
    {
        // Any client may subscribe to fifty symbols the provider does not list: that must not fill the log with warnings.
        await EventFilter.Info(start: "No previous close for ZZZQ").ExpectOneAsync(() =>
        {
            var (unlisted, _) = Start("ZZZQ", settings: Steady);
            unlisted.Tell(new SymbolProtocol.Interest("ZZZQ", CreateTestProbe(), WantSnapshot: true));
            return Task.CompletedTask;
        });
        await EventFilter.Warning(start: "No previous close for NVDA").ExpectOneAsync(() =>
        {
            var (unreachable, _) = Start("NVDA", restUrl: "http://127.0.0.1:1/", settings: Steady);
            unreachable.Tell(new SymbolProtocol.Interest("NVDA", CreateTestProbe(), WantSnapshot: true));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Each_interested_hub_gets_each_update_once_and_late_aggregates_are_ignored()
    {
        var (entity, _) = Start("TSLA", settings: Steady);
        var hubA = CreateTestProbe();
        var hubB = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("TSLA", hubA, WantSnapshot: false), hubA);
        entity.Tell(new SymbolProtocol.Interest("TSLA", hubB, WantSnapshot: false), hubB);

        entity.Tell(Tick("TSLA", 200m, 5_000));
        entity.Tell(Tick("TSLA", 150m, 4_000)); // older window
        entity.Tell(Tick("TSLA", 201m, 6_000));

        foreach (var hub in new[] { hubA, hubB })
        {
            Assert.Equal(200m, (await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>()).Quote.Price);
            var next = await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
            Assert.Equal(201m, next.Quote.Price);
            Assert.Equal(2, next.Quote.Seq);
        }
    }

    [Fact]
    public async Task The_upstream_event_travels_only_to_hubs_whose_clients_speak_Polygon()
    {
        var (entity, _) = Start("NFLX", settings: Steady);
        var quotesOnly = CreateTestProbe();
        var polygon = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("NFLX", quotesOnly, WantSnapshot: false), quotesOnly);
        entity.Tell(new SymbolProtocol.Interest("NFLX", polygon, WantSnapshot: false, WantsRaw: true), polygon);

        var raw = "{\"ev\":\"A\",\"sym\":\"NFLX\"}"u8.ToArray();
        entity.Tell(new SymbolProtocol.Aggregate("NFLX", QuoteStateSpecs.Bar(90m, 5_000) with { Symbol = "NFLX", Raw = raw }));

        Assert.Null((await quotesOnly.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>()).RawEvent);
        Assert.Equal(raw, (await polygon.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>()).RawEvent);

        // The Polygon clients left: the renewal says so, and the next update goes without the event.
        entity.Tell(new SymbolProtocol.Interest("NFLX", polygon, WantSnapshot: false), polygon);
        entity.Tell(new SymbolProtocol.Aggregate("NFLX", QuoteStateSpecs.Bar(91m, 6_000) with { Symbol = "NFLX", Raw = raw }));
        Assert.Null((await polygon.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>()).RawEvent);
    }

    [Fact]
    public async Task Releasing_the_last_interest_unwants_the_symbol_upstream()
    {
        var (entity, upstream) = Start("AMD");
        var hubA = CreateTestProbe();
        var hubB = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("AMD", hubA, WantSnapshot: false), hubA);
        entity.Tell(new SymbolProtocol.Interest("AMD", hubB, WantSnapshot: false), hubB);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Want);

        entity.Tell(new SymbolProtocol.ReleaseInterest("AMD", hubA));
        entity.Tell(Tick("AMD", 10m, 1_000));
        await hubB.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
        await hubA.ExpectNoMsgAsync(Dilated(TimeSpan.FromMilliseconds(200)));

        entity.Tell(new SymbolProtocol.ReleaseInterest("AMD", hubB));
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Unwant { Symbol: "AMD" });
    }

    [Fact]
    public async Task A_renewal_that_arrives_after_the_hubs_release_does_not_bring_its_lease_back()
    {
        var (entity, upstream) = Start("AMZN", settings: Steady);
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("AMZN", hub, WantSnapshot: true), hub);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Want);

        entity.Tell(new SymbolProtocol.ReleaseInterest("AMZN", hub));
        // Sent before the release through the hub's node inbox, overtaken by the release through the region.
        entity.Tell(new SymbolProtocol.Interest("AMZN", hub, WantSnapshot: false), hub);

        entity.Tell(new SymbolProtocol.GetInterest("AMZN"), TestActor);
        Assert.Empty((await ExpectMsgAsync<SymbolProtocol.InterestReport>()).Hubs);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Unwant { Symbol: "AMZN" });
        await upstream.ExpectNoMsgAsync(Dilated(TimeSpan.FromMilliseconds(200))); // not wanted again

        // The hub's clients come back: it asks for a snapshot, and holds the lease again at once.
        entity.Tell(new SymbolProtocol.Interest("AMZN", hub, WantSnapshot: true), hub);
        entity.Tell(new SymbolProtocol.GetInterest("AMZN"), TestActor);
        Assert.Equal([hub.Ref.Path.ToString()], (await ExpectMsgAsync<SymbolProtocol.InterestReport>()).Hubs);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Want { Symbol: "AMZN" });
    }

    [Fact]
    public async Task A_hub_that_stops_renewing_its_lease_is_forgotten()
    {
        var (entity, upstream) = Start("INTC");
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("INTC", hub, WantSnapshot: false), hub);

        // No renewal: after the lease (400 ms) the entity lets the upstream channel go.
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Unwant, Dilated(TimeSpan.FromSeconds(5)));
        entity.Tell(Tick("INTC", 10m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        // (An update sent while the lease still held, from the provider's snapshot, may still be on its way.)
        var after = await hub.ReceiveWhileAsync(Dilated(TimeSpan.FromMilliseconds(300)), m => m).ToListAsync();
        Assert.DoesNotContain(after, m => m is SymbolProtocol.QuoteUpdated { Quote.Price: 10m });
    }

    [Fact]
    public async Task A_wall_clock_stepped_back_does_not_keep_a_silent_hubs_lease()
    {
        // Leases timed by the wall clock would hold for the hour the clock went back: the symbol streaming upstream, and
        // counted against the upstream's cap, for a hub that is gone.
        var time = new SteppedWallClock();
        // A lease of 3 s: long enough that it cannot have ended on its own before the step, however slow the machine.
        var (entity, upstream) = Start("QCOM", settings: Fast with { LeaseDuration = TimeSpan.FromSeconds(3) }, clock: new LocalClock(time));
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("QCOM", hub, WantSnapshot: false), hub);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Want);

        time.Step(TimeSpan.FromHours(-1));

        // No renewal: the lease ends as if the clock had not moved.
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Unwant, Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_wall_clock_stepped_forward_ends_no_lease()
    {
        // Leases timed by the wall clock would all end at the next check: every symbol let go upstream and its clients
        // without updates until the next renewal.
        var time = new SteppedWallClock();
        var (entity, upstream) = Start("TXN", settings: Steady, clock: new LocalClock(time));
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("TXN", hub, WantSnapshot: false), hub);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Want);

        time.Step(TimeSpan.FromHours(1));

        // Five checks of the leases (every 100 ms) later the hub still holds the symbol and gets its next update.
        var meanwhile = await upstream.ReceiveWhileAsync(Dilated(TimeSpan.FromMilliseconds(500)), m => m).ToListAsync();
        Assert.DoesNotContain(meanwhile, m => m is UpstreamProtocol.Unwant);
        entity.Tell(Tick("TXN", 12.5m, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        await hub.FishForMessageAsync(m => m is SymbolProtocol.QuoteUpdated { Quote.Price: 12.5m });
    }

    [Fact]
    public async Task A_terminated_hub_is_forgotten()
    {
        var (entity, upstream) = Start("ORCL");
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("ORCL", hub, WantSnapshot: false), hub);
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Want);

        Sys.Stop(hub);

        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Unwant);
    }

    [Fact]
    public async Task GetQuote_answers_with_the_current_quote_once_the_incarnation_has_settled()
    {
        var (entity, upstream) = Start("IBM", settings: Steady);
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("IBM", hub, WantSnapshot: false), hub);
        // Stamped a minute ahead: the provider's day the entity reads at its renewal (stamped when read) is then older and
        // leaves the price alone (a bar from 1970 was rightly replaced by the provider's newer price whenever that read beat
        // the ask below).
        entity.Tell(Tick("IBM", 150m, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()));
        await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();

        // A renewal period (the entity renews its want upstream each one) lets every hub hand over its seed first.
        await upstream.ExpectMsgAsync<UpstreamProtocol.Want>();
        await upstream.ExpectMsgAsync<UpstreamProtocol.Want>(Dilated(TimeSpan.FromSeconds(3)));

        var current = await entity.Ask<SymbolProtocol.CurrentQuote>(new SymbolProtocol.GetQuote("IBM"), Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal(150m, current.Quote!.Price);
    }

    [Fact]
    public async Task A_new_incarnation_answers_no_quote_read_before_a_hub_seeded_it()
    {
        var (entity, _) = Start("HPQ", settings: Steady);
        var t0 = Today();
        entity.Tell(Tick("HPQ", 30m, t0 + 1_000)); // a bar before any hub checked in: a narrower day than clients saw

        var before = await entity.Ask<SymbolProtocol.CurrentQuote>(new SymbolProtocol.GetQuote("HPQ"), Dilated(TimeSpan.FromSeconds(3)));
        Assert.Null(before.Quote); // the REST API falls back to the provider rather than answer from a partial day

        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("HPQ", hub, WantSnapshot: false, Seed(t0 + 500, seq: 900, high: 35m, low: 25m)), hub);
        var after = await entity.Ask<SymbolProtocol.CurrentQuote>(new SymbolProtocol.GetQuote("HPQ"), Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal(901, after.Quote!.Seq);
        Assert.Equal(35m, after.Quote.High);
        Assert.Equal(25m, after.Quote.Low);
    }

    /// <summary>
    /// A minute ago, but never before today's New York midnight: a seed from an earlier New York day is rightly not taken
    /// for today's (the entity then reads the provider), and a run in the first minute of a day must not make one. The
    /// midnight is today's own, not "24 hours before tonight's": days of daylight-saving changes last 23 or 25 hours.
    /// </summary>
    private static long Today()
    {
        var now = DateTimeOffset.UtcNow;
        var midnight = MarketCalendar.FromNewYork(MarketCalendar.ToNewYork(now).Date).ToUnixTimeMilliseconds();
        return Math.Max(now.ToUnixTimeMilliseconds() - 60_000, midnight + 1_000);
    }

    /// <summary>A symbol's latest quote as a hub holds it after a long history.</summary>
    private static Quote Seed(long timestamp, long seq, decimal high, decimal low, decimal price = 29m, long volume = 2_000_000, decimal? previousClose = 28m) => new()
    {
        Symbol = "X", Price = price, PreviousPrice = price - 0.1m, PreviousClose = previousClose, Open = 28.5m, High = high, Low = low,
        Volume = volume, Vwap = 29.5m, Timestamp = timestamp, Seq = seq,
    };

    [Fact]
    public async Task A_new_incarnation_adopts_the_highest_seed_and_every_hub_continues_from_it()
    {
        var (entity, _) = Start("SEED", settings: Steady);
        var t0 = Today();
        var fresh = CreateTestProbe();  // a hub whose clients subscribed after the move: no history
        var seasoned = CreateTestProbe(); // a hub that streamed the symbol for an hour
        entity.Tell(new SymbolProtocol.Interest("SEED", fresh, WantSnapshot: false), fresh);
        entity.Tell(Tick("SEED", 30m, t0 + 2_000) with { Bar = QuoteStateSpecs.Bar(30m, t0 + 2_000) with { Symbol = "SEED", AccumulatedVolume = 2_000_050 } });
        Assert.Equal(1, (await fresh.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>()).Quote.Seq);

        var seed = Seed(t0 + 1_000, seq: 3_600, high: 35m, low: 25m) with { Symbol = "SEED" };
        entity.Tell(new SymbolProtocol.Interest("SEED", seasoned, WantSnapshot: true, seed), seasoned);

        // The hub that saw the incarnation's own seq 1 gets the merged quote: above the seed, with the hour's range. No new
        // upstream event caused it, so hubs must not time a delivery by its timestamp.
        var mergedUpdate = await fresh.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
        Assert.True(mergedUpdate.NoNewEvent);
        var merged = mergedUpdate.Quote;
        Assert.Equal(3_601, merged.Seq);
        Assert.Equal(30m, merged.Price);
        Assert.Equal(35m, merged.High);
        Assert.Equal(25m, merged.Low);
        Assert.Equal(2_000_050, merged.Volume);
        Assert.Equal(28m, merged.PreviousClose);
        Assert.Equal(29m, merged.PreviousPrice);
        // The seeding hub hears the same, whether as the update or as the snapshot it asked for.
        var answer = await seasoned.FishForMessageAsync<SymbolProtocol.Snapshot>(m => m is SymbolProtocol.Snapshot);
        Assert.Equal(3_601, answer.Quote!.Seq);

        entity.Tell(Tick("SEED", 31m, t0 + 3_000));
        var next = await fresh.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>();
        Assert.Equal(3_602, next.Quote.Seq);
        Assert.False(next.NoNewEvent); // an aggregate's update is a new event
        Assert.Equal(3_602, (await seasoned.FishForMessageAsync<SymbolProtocol.QuoteUpdated>(m => m is SymbolProtocol.QuoteUpdated { Quote.Price: 31m })).Quote.Seq);
    }

    [Fact]
    public async Task A_seeded_incarnation_asks_the_provider_for_nothing()
    {
        var (entity, upstream) = Start("AMZN", settings: Steady);
        var hub = CreateTestProbe();
        var t0 = Today();
        entity.Tell(new SymbolProtocol.Interest("AMZN", hub, WantSnapshot: true, Seed(t0 + 1_000, seq: 50, high: 31m, low: 27m) with { Symbol = "AMZN" }), hub);
        entity.Tell(Tick("AMZN", 30m, t0 + 2_000));
        await hub.FishForMessageAsync(m => m is SymbolProtocol.QuoteUpdated);

        // Three renewals (each renews the want upstream): the entity had every chance to ask the provider.
        for (var i = 0; i < 4; i++) await upstream.ExpectMsgAsync<UpstreamProtocol.Want>(Dilated(TimeSpan.FromSeconds(3)));
        Assert.Empty(_simulator.Market.Report().RestCalls);
    }

    [Fact]
    public async Task A_seed_from_an_earlier_day_is_not_taken_for_today_the_providers_snapshot_is()
    {
        // The symbol's clients left on an earlier day and its entity passivated; a hub kept their last quote. Today the
        // market has traded it for ten minutes before a client subscribes again.
        var walk = TradedFor("ORCL", seconds: 600);
        var day = walk.Day;
        var (entity, _) = Start("ORCL", settings: Steady);
        var hub = CreateTestProbe();
        var threeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        var old = Seed(threeDaysAgo, seq: 700, high: day.High + 50m, low: day.Low - 20m, volume: 9_999_999) with { Symbol = "ORCL" };
        entity.Tell(new SymbolProtocol.Interest("ORCL", hub, WantSnapshot: true, old), hub);

        // Once read, the provider's day replaces the old one: today's range, volume and previous close, seq above the seed's.
        await AwaitConditionAsync(() => Task.FromResult(_simulator.Market.RestCalls(SnapshotPath) == 1), Dilated(TimeSpan.FromSeconds(5)));
        // (The adopted seed itself goes out first, as the incarnation's first quote; the provider's day follows it.)
        var todayEnds = MarketCalendar.DayEndMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var today = await hub.FishForMessageAsync<SymbolProtocol.QuoteUpdated>(
            m => m is SymbolProtocol.QuoteUpdated u && MarketCalendar.DayEndMs(u.Quote.Timestamp) == todayEnds, Dilated(TimeSpan.FromSeconds(5)));
        Assert.Equal((day.High, day.Low, day.Volume), (today.Quote.High, today.Quote.Low, today.Quote.Volume));
        Assert.Equal(walk.PreviousClose, today.Quote.PreviousClose);
        Assert.True(today.Quote.Seq > 700, $"seq {today.Quote.Seq} went back from the seed's 700");
    }

    [Fact]
    public async Task A_new_subscription_reads_the_providers_snapshot_once()
    {
        var (entity, upstream) = Start("GOOG", settings: Steady);
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("GOOG", hub, WantSnapshot: true), hub);
        await AwaitConditionAsync(() => Task.FromResult(_simulator.Market.RestCalls(SnapshotPath) == 1), Dilated(TimeSpan.FromSeconds(5)));

        for (var i = 0; i < 4; i++) await upstream.ExpectMsgAsync<UpstreamProtocol.Want>(Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal(1, _simulator.Market.RestCalls(SnapshotPath));
    }

    [Fact]
    public async Task A_new_subscription_reports_the_whole_days_range_and_volume_not_just_what_it_streamed()
    {
        // The market has traded all day before anyone here asked for the symbol.
        var walk = TradedFor("CSCO", seconds: 600);
        var day = walk.Day;
        var (entity, _) = Start("CSCO", settings: Steady);
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("CSCO", hub, WantSnapshot: true), hub);
        await AwaitConditionAsync(() => Task.FromResult(_simulator.Market.RestCalls(SnapshotPath) == 1), Dilated(TimeSpan.FromSeconds(5)));

        // The first aggregate streamed here covers one second, inside the day's range.
        var price = Math.Round((day.High + day.Low) / 2, 2);
        await AwaitAssertAsync(async () =>
        {
            entity.Tell(new SymbolProtocol.Interest("CSCO", hub, WantSnapshot: false), hub); // the lease is short here
            entity.Tell(new SymbolProtocol.Aggregate("CSCO", QuoteStateSpecs.Bar(price, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) with { Symbol = "CSCO", AccumulatedVolume = 100 }));
            var quote = ((SymbolProtocol.QuoteUpdated)await hub.FishForMessageAsync(m => m is SymbolProtocol.QuoteUpdated u && u.Quote.Price == price)).Quote;
            Assert.Equal(day.High, quote.High);
            Assert.Equal(day.Low, quote.Low);
            Assert.Equal(day.Volume, quote.Volume);
            Assert.Equal(walk.PreviousClose, quote.PreviousClose);
        }, Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_providers_day_arriving_after_a_newer_aggregate_is_published_without_waiting_for_the_next_one()
    {
        var walk = TradedFor("ADBE", seconds: 300);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var day = walk.Day;
        var (entity, _) = Start("ADBE", settings: Steady);
        var hub = CreateTestProbe();

        // The first aggregate beats the provider's answer: newer than its snapshot, and inside the day's range.
        var price = Math.Round((day.High + day.Low) / 2, 2);
        entity.Tell(new SymbolProtocol.Aggregate("ADBE", QuoteStateSpecs.Bar(price, now) with { Symbol = "ADBE", AccumulatedVolume = 100 }));
        entity.Tell(new SymbolProtocol.Interest("ADBE", hub, WantSnapshot: true), hub);
        var first = (await hub.ExpectMsgAsync<SymbolProtocol.Snapshot>()).Quote!;
        Assert.Null(first.PreviousClose);

        // No further aggregate: the provider's day alone makes the next update, marked as caused by no new upstream event
        // (its timestamp is the aggregate's of before: a hub must not time a delivery by it).
        var dayUpdate = await hub.ExpectMsgAsync<SymbolProtocol.QuoteUpdated>(Dilated(TimeSpan.FromSeconds(5)));
        Assert.True(dayUpdate.NoNewEvent);
        var update = dayUpdate.Quote;
        Assert.Equal(price, update.Price);
        Assert.Equal(walk.PreviousClose, update.PreviousClose);
        Assert.Equal(day.High, update.High);
        Assert.Equal(day.Low, update.Low);
        Assert.Equal(day.Volume, update.Volume);
        Assert.Equal(first.Seq + 1, update.Seq);
    }

    /// <summary>
    /// The simulated market has traded <paramref name="symbol"/> once a second for the last <paramref name="seconds"/>.
    /// (A spec that starts in the last seconds of a New York day reads the provider on the next one, a new walk day, and
    /// compares it with the day it traded: neither the simulator nor the entity takes an injected clock yet.)
    /// </summary>
    private PriceWalk TradedFor(string symbol, int seconds)
    {
        var walk = _simulator.Market.Walk(symbol);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = seconds; i > 0; i--) walk.Next(now - i * 1_000L);
        return walk;
    }

    private const string SnapshotPath = "/v2/snapshot/locale/us/markets/stocks/tickers";
}
