using Google.Protobuf;
using Google.Protobuf.Reflection;
using Quotes.Actors.Cluster;
using Quotes.Actors.Cluster.Wire;
using Quotes.Actors.Messages;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests.Wire;

/// <summary>
/// What a rolling upgrade relies on, shown with the frozen version 1 schema (<c>Wire/v1</c>) and a made-up version 2 that
/// adds a field to the quote (<c>Wire/v2</c>): each version reads the other's bytes, the new field at its default one
/// way and skipped the other, and the committed golden bytes still read once the field exists.
/// </summary>
public sealed class WireCompatibilitySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SerializationTestSystem.Setup(), output: output)
{
    /// <summary>The wire message of each manifest in version 1, as a node of that version parses it.</summary>
    private static readonly Dictionary<string, MessageParser> Version1 = new()
    {
        ["A"] = V1.Aggregate.Parser, ["Q"] = V1.QuoteUpdated.Parser, ["QB"] = V1.QuoteBatch.Parser, ["I"] = V1.Interest.Parser, ["R"] = V1.ReleaseInterest.Parser,
        ["F"] = V1.Refresh.Parser, ["G"] = V1.GetQuote.Parser, ["C"] = V1.CurrentQuote.Parser, ["S"] = V1.Snapshot.Parser,
        ["GI"] = V1.GetInterest.Parser, ["IR"] = V1.InterestReport.Parser, ["X"] = V1.Stop.Parser, ["W"] = V1.Want.Parser,
        ["U"] = V1.Unwant.Parser, ["WS"] = V1.WatchStatus.Parser, ["SC"] = V1.StatusChanged.Parser, ["UG"] = V1.UpstreamGetReport.Parser,
        ["RW"] = V1.RecallWants.Parser, ["HW"] = V1.HubWants.Parser, ["UR"] = V1.UpstreamReport.Parser, ["HG"] = V1.HubGetReport.Parser,
        ["HR"] = V1.HubReport.Parser,
    };

    /// <summary>
    /// Messages added after version 1. A node of version 1 cannot read them, so each is only ever asked with a timeout whose
    /// expiry is harmless (a symbol admission is then refused with a retryable <c>CAPACITY</c>, a REST read answered from
    /// the provider), or sent only to nodes that announce an app version that reads them (the per-node batches "AB", "IB"
    /// and "WB": NodeBatches).
    /// </summary>
    private static readonly HashSet<string> AddedSinceVersion1 = ["AD", "AN", "GS", "ST", "AB", "IB", "WB", "AK", "HB"];

    [Fact]
    public void The_schema_keeps_every_version_1_field_under_its_number_and_type()
    {
        var current = FileDescriptorProto.Parser.ParseFrom(QuotesWireReflection.Descriptor.SerializedData);
        var frozen = FileDescriptorProto.Parser.ParseFrom(V1.QuotesWireV1Reflection.Descriptor.SerializedData);

        foreach (var was in frozen.MessageType)
        {
            var now = current.MessageType.SingleOrDefault(m => m.Name == was.Name);
            Assert.True(now is not null, $"message {was.Name} is gone: a node of version 1 still sends and expects it");
            foreach (var field in was.Field)
            {
                var kept = now.Field.SingleOrDefault(f => f.Number == field.Number);
                if (kept is null)
                {
                    Assert.True(now.ReservedRange.Any(r => r.Start <= field.Number && field.Number < r.End),
                        $"{was.Name}.{field.Name} ({field.Number}) was removed without reserving its number");
                    continue;
                }
                Assert.True(Shape(field) == Shape(kept),
                    $"{was.Name} field {field.Number} was {Shape(field)} in version 1 and is {Shape(kept)} now: a node of either version misreads the other");
            }
        }
    }

    [Fact]
    public void A_node_of_version_1_reads_every_message_this_version_writes()
    {
        foreach (var (name, message) in WireSamples.All(SerializationTestSystem.RemoteHub(Sys)))
        {
            var manifest = WireSamples.ManifestOf(name);
            var bytes = Sys.Serialization.FindSerializerFor(message).ToBinary(message);
            if (!Version1.TryGetValue(manifest, out var version1))
            {
                Assert.Contains(manifest, AddedSinceVersion1);
                continue;
            }

            var asVersion1 = version1.ParseFrom(bytes);

            // What version 1 parsed, written back by it, still holds the whole message (nothing lost or misplaced)...
            WireAssert.SameContent(message, Sys.Serialization.Deserialize(asVersion1.ToByteArray(), QuotesSerializer.SerializerId, manifest));
            // ...and the quote update, the busiest message, means to it what it means to this version, field by field, but for
            // the aggregate's bar, added after version 1, which it does not know (and passes on untouched, as shown above).
            if (message is SymbolProtocol.QuoteUpdated update)
                Assert.Equal(WireAssert.Describe(update.Quote with { BarOpen = null, BarHigh = null, BarLow = null, BarVolume = null }),
                    WireAssert.Describe(Version1Quote(((V1.QuoteUpdated)asVersion1).Quote)));
        }
    }

    [Fact]
    public void Version_1_bytes_read_under_version_2_with_the_new_field_at_its_default()
    {
        var update = new SymbolProtocol.QuoteUpdated(WireSamples.Full, WireSamples.RawEvent);
        var fromThisVersion = Sys.Serialization.FindSerializerFor(update).ToBinary(update);
        var fromFrozenVersion1 = new V1.QuoteUpdated
        {
            Quote = new V1.Quote { Symbol = "AAPL", Price = new V1.DecimalValue { Lo = 23010, Scale = 2 }, Seq = 7 },
            RawEvent = ByteString.CopyFromUtf8("{}"),
        }.ToByteArray();

        foreach (var bytes in new[] { fromThisVersion, fromFrozenVersion1 })
        {
            var read = V2.QuoteUpdated.Parser.ParseFrom(bytes);

            Assert.Null(read.Quote.Bid);
            Assert.Equal(V1.QuoteUpdated.Parser.ParseFrom(bytes), V1.QuoteUpdated.Parser.ParseFrom(read.ToByteArray()));
        }
        var v2 = V2.QuoteUpdated.Parser.ParseFrom(fromFrozenVersion1);
        Assert.Equal(("AAPL", 23010UL, 2U, 7L, "{}"), (v2.Quote.Symbol, v2.Quote.Price.Lo, v2.Quote.Price.Scale, v2.Quote.Seq, v2.RawEvent.ToStringUtf8()));
    }

    [Fact]
    public void Version_2_bytes_read_by_this_version_skip_the_field_it_does_not_know()
    {
        var update = new SymbolProtocol.QuoteUpdated(WireSamples.Full, WireSamples.RawEvent);
        var version2 = V2.QuoteUpdated.Parser.ParseFrom(Sys.Serialization.FindSerializerFor(update).ToBinary(update));
        version2.Quote.Bid = new V2.DecimalValue { Lo = 41240, Scale = 2 };
        var bytes = version2.ToByteArray();

        var read = Sys.Serialization.Deserialize(bytes, QuotesSerializer.SerializerId, "Q");

        Assert.Equal(version2.Quote.Bid, V2.QuoteUpdated.Parser.ParseFrom(bytes).Quote.Bid); // the bytes do carry it
        WireAssert.SameContent(update, read);
    }

    [Fact]
    public void Golden_bytes_still_read_after_version_2_added_a_field()
    {
        var quoteSamples = WireSamples.All(SerializationTestSystem.RemoteHub(Sys)).Where(s => WireSamples.ManifestOf(s.Name) == "Q").ToList();
        Assert.NotEmpty(quoteSamples);

        foreach (var (name, message) in quoteSamples)
        {
            var golden = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Wire", "golden", name + ".bin"));

            var read = V2.QuoteUpdated.Parser.ParseFrom(golden);

            Assert.Null(read.Quote.Bid);
            WireAssert.SameContent(message, Sys.Serialization.Deserialize(read.ToByteArray(), QuotesSerializer.SerializerId, "Q"));
        }
    }

    /// <summary>A quote as a node of version 1 reads it, decimals decoded independently of the production code.</summary>
    private static Contracts.Quote Version1Quote(V1.Quote q) => new()
    {
        Symbol = q.Symbol, Price = Decimal(q.Price) ?? 0m, PreviousPrice = Decimal(q.PreviousPrice), Change = Decimal(q.Change),
        ChangePercent = Decimal(q.ChangePercent), PreviousClose = Decimal(q.PreviousClose), Open = Decimal(q.Open), High = Decimal(q.High),
        Low = Decimal(q.Low), Volume = q.Volume, Vwap = Decimal(q.Vwap), Timestamp = q.Timestamp, Seq = q.Seq,
        Snapshot = q.HasSnapshot ? q.Snapshot : null, Source = q.HasSource ? q.Source : null,
    };

    /// <summary>(negative ? -1 : 1) * (hi * 2^64 + lo) / 10^scale, as the schema documents it.</summary>
    private static decimal? Decimal(V1.DecimalValue? d)
    {
        if (d is null) return null;
        var coefficient = ((System.Numerics.BigInteger)d.Hi << 64) + d.Lo;
        var value = (decimal)coefficient / (decimal)System.Numerics.BigInteger.Pow(10, (int)d.Scale);
        // Division drops trailing zeros: put the scale back by adding a zero of that scale.
        return (d.Negative ? -value : value) + new decimal(0, 0, 0, false, (byte)d.Scale);
    }

    /// <summary>What decides how a field's bytes are read: its wire type, cardinality, presence and message type (not its name or package).</summary>
    private static string Shape(FieldDescriptorProto f) =>
        $"{f.Label} {(f.Proto3Optional ? "optional " : "")}{f.Type} {f.TypeName[(f.TypeName.LastIndexOf('.') + 1)..]}".TrimEnd();
}
