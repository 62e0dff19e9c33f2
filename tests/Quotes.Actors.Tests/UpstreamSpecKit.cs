using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
using Quotes.Actors.Upstream.Provider;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The upstream actor on its own, in a one-node cluster, against a real simulator over a real WebSocket: a probe stands in
/// for the shard region and a stand-in hub lives where every node's hub lives (<c>/user/hub</c>). Each spec class built on
/// it (<see cref="UpstreamActorSpecs"/>, <see cref="UpstreamStaleFeedSpecs"/>) has a simulator and a cluster of its own.
/// </summary>
public abstract class UpstreamSpecKit(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("""
    akka.loglevel = INFO
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    # A node that leaves or is downed keeps its actor system (the test kit stops it): what the upstream does then is observable.
    akka.coordinated-shutdown.terminate-actor-system = off
    akka.coordinated-shutdown.run-by-actor-system-terminate = off
    """, output), IAsyncLifetime
{
    protected const string Key = "upstream-spec-key";
    protected RunningSimulator Simulator { get; private set; } = null!;
    private readonly HttpClient _http = new();

    protected static readonly string[] Held = Enumerable.Range(0, 40).Select(i => $"U{i:D2}").ToArray();

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key] });
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        // Leave first: a member that just stops waits out the cluster's exit timeout.
        await CoordinatedShutdown.Get(Sys).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        _http.Dispose();
        await Simulator.DisposeAsync();
    }

    /// <summary>Answers a new holder's recall with the symbols its clients hold, and passes on everything else it hears.</summary>
    private sealed class StandInHub : ReceiveActor
    {
        public StandInHub(IReadOnlyList<string> symbols, IActorRef observer)
        {
            Receive<UpstreamProtocol.RecallWants>(_ => Sender.Tell(new UpstreamProtocol.HubWants(Self, symbols)));
            ReceiveAny(m => observer.Forward(m));
        }
    }

    private sealed class Region(IActorRef actor) : IRequiredActor<SymbolActor>
    {
        public IActorRef ActorRef => actor;
        public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(actor);
    }

    /// <param name="lease">How long a want holds unrenewed (4 min: longer than any spec), and as long again it lingers.</param>
    protected (IActorRef Upstream, TestProbe Region, TestProbe Hub) Start(IReadOnlyList<string>? held = null, int maxSymbols = 5_000,
        TimeSpan? staleAfter = null, Func<DateTimeOffset, string>? market = null, TimeSpan? lease = null, LocalClock? clock = null)
    {
        var hub = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new StandInHub(held ?? Held, hub)), NodeHub.Name);
        var region = CreateTestProbe();
        var polygon = new PolygonOptions
        {
            ApiKey = Key, WebSocketUrl = Simulator.WebSocketUrl.ToString(), RestUrl = Simulator.HttpUrl.ToString(), MaxSymbols = maxSymbols,
        };
        // Renewals a minute apart: whatever is subscribed within the spec came from the recall, not from entity wants.
        var rest = new PolygonRestClient(_http, polygon);
        var settings = new QuotesOptions
        {
            RenewInterval = TimeSpan.FromMinutes(1), LeaseDuration = lease ?? TimeSpan.FromMinutes(4), UpstreamLinger = lease ?? new QuotesOptions().UpstreamLinger,
            StaleAfter = staleAfter ?? new QuotesOptions().StaleAfter,
        };
        var upstream = Sys.ActorOf(Props.Create(() => new UpstreamActor(polygon, settings, new Region(region), new SnapshotBatcher(() => rest), market, clock)));
        return (upstream, region, hub);
    }

    protected async Task SubscribedAsync(IActorRef upstream, IReadOnlyList<string> symbols) =>
        await AwaitAssertAsync(async () =>
        {
            var report = await upstream.Ask<UpstreamProtocol.Report>(UpstreamProtocol.GetReport.Instance, Dilated(TimeSpan.FromSeconds(3)));
            Assert.Equal(symbols, report.Subscribed);
        }, Dilated(TimeSpan.FromSeconds(10)));
}
