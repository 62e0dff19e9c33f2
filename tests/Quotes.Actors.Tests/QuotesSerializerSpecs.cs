using Akka.Actor;
using Akka.Configuration;
using Quotes.Actors.Cluster;
using Quotes.Actors.Fanout;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>Every message that may cross nodes is bound to the compact serializer (by hocon/quotes.hocon) and survives a round trip.</summary>
public sealed class QuotesSerializerSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "quotes.hocon")))
        .WithFallback("akka.actor.provider = remote\nakka.remote.dot-netty.tcp.port = 0\nakka.remote.dot-netty.tcp.hostname = 127.0.0.1"), output: output)
{
    private static readonly Quote Sample = new()
    {
        Symbol = "BRK.B", Price = 412.5m, PreviousPrice = 412.25m, Change = 1.5m, ChangePercent = 0.3649m, PreviousClose = 411m, Open = 411.2m,
        High = 413m, Low = 410.9m, Volume = 1_234_567, Vwap = 412.01m, Timestamp = 1_732_633_200_000, Seq = 42, Snapshot = true, Source = "live",
    };

    private IEnumerable<object> Messages()
    {
        var probe = CreateTestProbe().Ref;
        var bar = QuoteStateSpecs.Bar(10.25m, 1_000, high: 10.5m, low: 10m, accumulated: 5_000, officialOpen: 9.9m, dayVwap: 10.1m);
        yield return new SymbolProtocol.Aggregate("AAPL", bar);
        yield return new SymbolProtocol.Aggregate("AAPL", bar with { Raw = """{"ev":"A","sym":"AAPL"}"""u8.ToArray() });
        yield return new SymbolProtocol.QuoteUpdated(Sample);
        yield return new SymbolProtocol.QuoteUpdated(Sample, """{"ev":"A","sym":"BRK.B","c":412.5}"""u8.ToArray());
        yield return new SymbolProtocol.QuoteUpdated(Sample with { PreviousPrice = null, Change = null, ChangePercent = null, PreviousClose = null, Snapshot = null, Source = null });
        yield return new SymbolProtocol.Interest("AAPL", probe, true);
        yield return new SymbolProtocol.Interest("AAPL", probe, true, Sample with { Snapshot = null, Source = null });
        yield return new SymbolProtocol.ReleaseInterest("AAPL", probe);
        yield return new SymbolProtocol.Refresh("AAPL", bar, 9.5m);
        yield return new SymbolProtocol.Refresh("AAPL", bar, null);
        yield return new SymbolProtocol.GetQuote("AAPL");
        yield return new SymbolProtocol.CurrentQuote("AAPL", Sample);
        yield return new SymbolProtocol.CurrentQuote("AAPL", null);
        yield return new SymbolProtocol.Snapshot("AAPL", Sample);
        yield return new SymbolProtocol.GetInterest("AAPL");
        yield return new SymbolProtocol.InterestReport("AAPL", ["a", "b"]);
        yield return SymbolProtocol.Stop.Instance;
        yield return new UpstreamProtocol.Want("AAPL");
        yield return new UpstreamProtocol.Unwant("AAPL");
        yield return new UpstreamProtocol.WatchStatus(probe);
        yield return new UpstreamProtocol.StatusChanged("connected", "authenticated");
        yield return UpstreamProtocol.GetReport.Instance;
        yield return UpstreamProtocol.RecallWants.Instance;
        yield return new UpstreamProtocol.HubWants(probe, ["AAPL", "BRK.B"]);
        yield return new UpstreamProtocol.Report("connected", "ok", ["AAPL"], ["AAPL", "TSLA"], 3, 1, [TimeSpan.FromMilliseconds(250)], 7, "akka.tcp://quotes@n1:4053");
        yield return HubProtocol.GetReport.Instance;
        yield return new HubProtocol.Report(3, 5, "connected", "authenticated", "open", new OutboxBacklog(7, 2, 50, 12345));
    }

    [Fact]
    public void Every_cross_node_message_uses_the_compact_serializer_and_round_trips_to_the_same_bytes()
    {
        foreach (var message in Messages())
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<QuotesSerializer>(serializer);
            var manifest = ((Akka.Serialization.SerializerWithStringManifest)serializer).Manifest(message);
            var bytes = serializer.ToBinary(message);
            var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

            Assert.IsType(message.GetType(), back);
            Assert.Equal(bytes, serializer.ToBinary(back));
            AssertSameContent(message, back);
        }
    }

    [Fact]
    public void An_interest_from_a_node_that_sends_no_seed_still_reads()
    {
        var hub = CreateTestProbe().Ref;
        var interest = new SymbolProtocol.Interest("AAPL", hub, WantSnapshot: true);
        var serializer = (QuotesSerializer)Sys.Serialization.FindSerializerFor(interest);
        var current = serializer.ToBinary(interest);
        var withoutSeedField = current[..^1]; // what a node of the version before the seed writes: no trailing "no seed" flag

        var read = (SymbolProtocol.Interest)serializer.FromBinary(withoutSeedField, serializer.Manifest(interest));

        Assert.Equal(interest, read);
    }

    [Fact]
    public void A_seeded_interest_carries_every_field_of_the_seed()
    {
        var seed = Sample with { Snapshot = null, Source = null };
        var interest = new SymbolProtocol.Interest("BRK.B", CreateTestProbe().Ref, false, seed);
        var serializer = (QuotesSerializer)Sys.Serialization.FindSerializerFor(interest);

        var read = (SymbolProtocol.Interest)serializer.FromBinary(serializer.ToBinary(interest), serializer.Manifest(interest));

        Assert.Equal(seed, read.Seed);
        Assert.NotSame(seed, read.Seed);
    }

    [Fact]
    public void A_quote_update_is_compact()
    {
        var bytes = Sys.Serialization.FindSerializerFor(new SymbolProtocol.QuoteUpdated(Sample)).ToBinary(new SymbolProtocol.QuoteUpdated(Sample));
        Assert.InRange(bytes.Length, 50, 250);
    }

    /// <summary>Field by field; records compare the lists and byte arrays they hold by reference, so those are compared item by item.</summary>
    private static void AssertSameContent(object expected, object actual)
    {
        switch (expected)
        {
            case SymbolProtocol.QuoteUpdated q:
                var u = (SymbolProtocol.QuoteUpdated)actual;
                Assert.Equal(q.Quote, u.Quote);
                Assert.Equal(q.RawEvent, u.RawEvent);
                break;
            case SymbolProtocol.Aggregate g:
                var a = (SymbolProtocol.Aggregate)actual;
                Assert.Equal((g.Symbol, g.Bar with { Raw = null }), (a.Symbol, a.Bar with { Raw = null }));
                Assert.Equal(g.Bar.Raw, a.Bar.Raw);
                break;
            case SymbolProtocol.InterestReport r:
                var i = (SymbolProtocol.InterestReport)actual;
                Assert.Equal(r.Symbol, i.Symbol);
                Assert.Equal(r.Hubs, i.Hubs);
                break;
            case UpstreamProtocol.HubWants h:
                var w = (UpstreamProtocol.HubWants)actual;
                Assert.Equal(h.Hub, w.Hub);
                Assert.Equal(h.Symbols, w.Symbols);
                break;
            case UpstreamProtocol.Report r:
                var b = (UpstreamProtocol.Report)actual;
                Assert.Equal((r.State, r.Reason, r.ConnectionsOpened, r.Attempt, r.Malformed, r.Node), (b.State, b.Reason, b.ConnectionsOpened, b.Attempt, b.Malformed, b.Node));
                Assert.Equal(r.Wanted, b.Wanted);
                Assert.Equal(r.Subscribed, b.Subscribed);
                Assert.Equal(r.RecentDelays, b.RecentDelays);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}

/// <summary>
/// Guards against a new protocol message silently falling back to JSON: every message type nested in a <c>*Protocol</c>
/// class either may cross nodes (and so is an <see cref="IQuotesMessage"/>) or says it is local only.
/// </summary>
public sealed class MessageBindingSpecs
{
    [Fact]
    public void Every_protocol_message_is_either_compactly_serialized_or_local_only()
    {
        var protocols = typeof(IQuotesMessage).Assembly.GetTypes().Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Protocol"));
        var messages = protocols.SelectMany(p => p.GetNestedTypes()).Where(t => !t.IsInterface).ToList();

        Assert.NotEmpty(messages);
        Assert.All(messages, t => Assert.True(
            typeof(IQuotesMessage).IsAssignableFrom(t) || typeof(Akka.Actor.INoSerializationVerificationNeeded).IsAssignableFrom(t),
            $"{t.FullName} must implement IQuotesMessage (cross-node) or INoSerializationVerificationNeeded (local only)"));
    }
}
