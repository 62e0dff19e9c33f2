using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream.Provider;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// A leaving node's inbox once its region has stopped (coordinated shutdown hands the shards off before the node leaves,
/// and the others learn it leaves a gossip round later): what still comes goes on to the inbox of the node that sent it,
/// whose region knows where the shards went. Two actor systems over real remoting with the nodes' serializer: this test
/// kit's system is the upstream's node, the other one the leaving node.
/// </summary>
public sealed class SymbolInboxSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Setup("holder"), "holder", output)
{
    private static ActorSystemSetup Setup(string name) => BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        """)).And(QuotesSerialization.Setup());

    /// <summary>Passes on whatever it gets (a stand-in for a region or an inbox).</summary>
    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef to) => ReceiveAny(m => to.Forward(m));
    }

    private static AggregateBar Bar(string symbol) => new() { Symbol = symbol, Close = 1m, End = 1000 };

    [Fact]
    public async Task Once_its_region_stopped_a_leaving_nodes_inbox_passes_batches_on_to_the_sending_nodes_inbox()
    {
        var holderInbox = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new Relay(holderInbox.Ref)), SymbolInbox.Name);
        var regionOnLeaving = CreateTestProbe();
        var hub = CreateTestProbe(); // a hub on the holder's node
        using var leaving = ActorSystem.Create("leaving", Setup("leaving"));
        try
        {
            var region = leaving.ActorOf(Props.Create(() => new Relay(regionOnLeaving.Ref)), "region");
            leaving.ActorOf(Props.Create(() => new SymbolInbox(region)), SymbolInbox.Name);
            var inbox = Sys.ActorSelection(NodeBatches.InboxOf(((ExtendedActorSystem)leaving).Provider.DefaultAddress));

            // Its region up: a batch goes to it, and is answered.
            await inbox.Ask<SymbolProtocol.AggregateBatchAck>(new SymbolProtocol.AggregateBatch([Bar("AAA")]), TimeSpan.FromSeconds(10));
            Assert.Equal("AAA", (await regionOnLeaving.ExpectMsgAsync<SymbolProtocol.Aggregate>()).Symbol);

            // Its region stopped: an aggregate batch, still answered, and a hub's renewals go on to the holder's inbox.
            await region.GracefulStop(TimeSpan.FromSeconds(5));
            await inbox.Ask<SymbolProtocol.AggregateBatchAck>(new SymbolProtocol.AggregateBatch([Bar("BBB"), Bar("CCC")]), TimeSpan.FromSeconds(10));
            var passed = await holderInbox.ExpectMsgAsync<SymbolProtocol.AggregateBatch>(TimeSpan.FromSeconds(10));
            Assert.Equal(["BBB", "CCC"], passed.Bars.Select(b => b.Symbol));
            inbox.Tell(new SymbolProtocol.InterestRenewals(hub.Ref, [new("DDD", WantsRaw: false)]));
            var renewals = await holderInbox.ExpectMsgAsync<SymbolProtocol.InterestRenewals>(TimeSpan.FromSeconds(10));
            Assert.Equal(["DDD"], renewals.Interests.Select(i => i.Symbol));
            Assert.Equal(hub.Ref.Path, renewals.Hub.Path);
            await regionOnLeaving.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            await leaving.Terminate();
        }
    }
}
