using Akka.Actor;
using Akka.TestKit;
using Quotes.Actors.Polygon;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
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


    private static readonly QuotesSettings Fast = new()
    {
        RenewInterval = TimeSpan.FromMilliseconds(100),
        LeaseDuration = TimeSpan.FromMilliseconds(400),
        IdleEntityAfter = TimeSpan.FromMinutes(5),
    };

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [SimulatorKey] });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    private (IActorRef Entity, TestProbe Upstream) Start(string symbol, string? restUrl = null)
    {
        var upstream = CreateTestProbe();
        var rest = new PolygonRestClient(_http, new PolygonOptions { ApiKey = SimulatorKey, RestUrl = restUrl ?? _simulator.HttpUrl.ToString() });
        return (Sys.ActorOf(Props.Create(() => new SymbolActor(symbol, upstream, rest, Fast))), upstream);
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
        var (entity, _) = Start("MSFT");
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
    public async Task Without_a_previous_close_change_is_relative_to_the_open_and_the_entity_keeps_working()
    {
        var (entity, _) = Start("NVDA", restUrl: "http://127.0.0.1:1/");
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
    public async Task Each_interested_hub_gets_each_update_once_and_late_aggregates_are_ignored()
    {
        var (entity, _) = Start("TSLA");
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
    public async Task A_hub_that_stops_renewing_its_lease_is_forgotten()
    {
        var (entity, upstream) = Start("INTC");
        var hub = CreateTestProbe();
        entity.Tell(new SymbolProtocol.Interest("INTC", hub, WantSnapshot: false), hub);

        // No renewal: after the lease (400 ms) the entity lets the upstream channel go.
        await upstream.FishForMessageAsync(m => m is UpstreamProtocol.Unwant, Dilated(TimeSpan.FromSeconds(5)));
        entity.Tell(Tick("INTC", 10m, 1_000));
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromMilliseconds(200)));
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
    public async Task GetQuote_answers_with_the_current_quote()
    {
        var (entity, _) = Start("IBM");
        Assert.Null((await entity.Ask<SymbolProtocol.CurrentQuote>(new SymbolProtocol.GetQuote("IBM"), Dilated(TimeSpan.FromSeconds(3)))).Quote);

        entity.Tell(Tick("IBM", 150m, 1_000));

        var current = await entity.Ask<SymbolProtocol.CurrentQuote>(new SymbolProtocol.GetQuote("IBM"), Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal(150m, current.Quote!.Price);
    }
}
