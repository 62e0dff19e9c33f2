using System.Reflection;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Serialization;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;
using Quotes.Actors.Tests.Wire;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace Quotes.Actors.Tests;

/// <summary>
/// Every message that may cross nodes is bound to the Protocol Buffers serializer (by <see cref="QuotesSerialization"/>, the
/// binding every node gets) and survives a round trip through the actor system's serialization, exactly.
/// </summary>
public sealed class QuotesSerializerSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SerializationTestSystem.Setup(), output: output)
{
    [Fact]
    public void Every_cross_node_message_uses_the_serializer_and_round_trips_exactly()
    {
        // A local hub (resolved back to the probe itself) and one on another node.
        foreach (var hub in new[] { CreateTestProbe().Ref, SerializationTestSystem.RemoteHub(Sys) })
            foreach (var (name, message) in WireSamples.All(hub))
            {
                var (bytes, back) = RoundTrip(message);

                WireAssert.SameContent(message, back);
                Assert.True(bytes.SequenceEqual(Sys.Serialization.FindSerializerFor(back).ToBinary(back)), $"{name}: encoding the read message gives other bytes");
            }
    }

    [Fact]
    public void Each_message_written_or_read_is_counted_by_kind_with_its_bytes()
    {
        var serializer = Sys.Serialization.FindSerializerFor(SymbolProtocol.Stop.Instance);
        var want = new UpstreamProtocol.Want("COUNTED");
        var (sentBefore, readBefore) = (WireTraffic.SentSoFar().GetValueOrDefault("W"), WireTraffic.ReceivedSoFar().GetValueOrDefault("W"));

        var bytes = serializer.ToBinary(want);
        ((SerializerWithStringManifest)serializer).FromBinary(bytes, "W");

        // Other specs may count too (the counters are per process), never less than this spec's own message.
        var (sent, read) = (WireTraffic.SentSoFar()["W"], WireTraffic.ReceivedSoFar()["W"]);
        Assert.True(sent.Messages - sentBefore.Messages >= 1 && sent.Bytes - sentBefore.Bytes >= bytes.Length, $"sent {sent}");
        Assert.True(read.Messages - readBefore.Messages >= 1 && read.Bytes - readBefore.Bytes >= bytes.Length, $"read {read}");
    }

    [Fact]
    public void Manifests_are_the_short_ones_each_sample_is_named_after()
    {
        var serializer = Sys.Serialization.FindSerializerFor(SymbolProtocol.Stop.Instance);
        foreach (var (name, message) in WireSamples.All(CreateTestProbe().Ref))
            Assert.Equal(WireSamples.ManifestOf(name), AkkaSerialization.ManifestFor(serializer, message));
    }

    [Fact]
    public void Every_quotes_message_type_has_a_manifest_and_a_sample()
    {
        var serializer = (QuotesSerializer)Sys.Serialization.FindSerializerFor(SymbolProtocol.Stop.Instance);
        var types = typeof(IQuotesMessage).Assembly.GetTypes()
            .Where(t => t is { IsInterface: false, IsAbstract: false } && typeof(IQuotesMessage).IsAssignableFrom(t))
            .ToList();
        var sampled = WireSamples.All(CreateTestProbe().Ref).Select(s => s.Message.GetType()).ToHashSet();

        Assert.NotEmpty(types);
        Assert.All(types, t =>
        {
            Assert.IsType<QuotesSerializer>(Sys.Serialization.FindSerializerForType(t));
            var manifest = Record.Exception(() => serializer.Manifest(RuntimeHelpers.GetUninitializedObject(t)));
            Assert.True(manifest is null, $"{t.FullName} has no manifest in {nameof(QuotesSerializer)}: {manifest?.Message}");
            Assert.True(sampled.Contains(t), $"{t.FullName} has no sample in {nameof(WireSamples)} (and so no round-trip or golden spec)");
        });
        Assert.Equal(types.Count, types.Select(t => serializer.Manifest(RuntimeHelpers.GetUninitializedObject(t))).Distinct().Count());
    }

    [Fact]
    public void The_identifier_is_not_the_one_of_the_positional_format_before_it()
    {
        var serializer = Sys.Serialization.FindSerializerFor(SymbolProtocol.Stop.Instance);
        Assert.Equal(QuotesSerializer.SerializerId, serializer.Identifier);
        Assert.NotEqual(4_711, serializer.Identifier);
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_error()
    {
        var serializer = (QuotesSerializer)Sys.Serialization.FindSerializerFor(SymbolProtocol.Stop.Instance);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "no-such-manifest"));
    }

    public static TheoryData<string> NullableQuoteFields() => [.. NullableQuoteProperties().Select(p => p.Name)];

    /// <summary>Each nullable field of a quote, alone null among set fields and alone set among null ones, in every message that carries a quote.</summary>
    [Theory]
    [MemberData(nameof(NullableQuoteFields))]
    public void A_nullable_quote_field_round_trips_both_null_and_set(string field)
    {
        var property = typeof(Quote).GetProperty(field)!;
        var allNull = NullableQuoteProperties().Aggregate(WireSamples.Full with { }, (q, p) => With(q, p, null));
        var quotes = new[]
        {
            With(WireSamples.Full with { }, property, null),
            With(allNull, property, property.GetValue(WireSamples.Full)),
            With(allNull, property, property.GetValue(WireSamples.Zeros)),
        };
        var hub = CreateTestProbe().Ref;

        foreach (var quote in quotes)
            foreach (var message in new IQuotesMessage[]
                     {
                     new SymbolProtocol.QuoteUpdated(quote), new SymbolProtocol.Interest(quote.Symbol, hub, true, quote),
                     new SymbolProtocol.CurrentQuote(quote.Symbol, quote), new SymbolProtocol.Snapshot(quote.Symbol, quote),
                     })
                WireAssert.SameContent(message, RoundTrip(message).Back);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.00")]
    [InlineData("1.50")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("18446744073709551616")] // 2^64: the first coefficient that needs the high word
    [InlineData("0.3333333333333333333333333333")]
    [InlineData("412.0123456789")]
    public void Decimals_round_trip_exactly_scale_and_sign_included(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var message = new SymbolProtocol.Refresh("AAPL", WireSamples.Bar with { Close = value }, value);

        var back = (SymbolProtocol.Refresh)RoundTrip(message).Back;

        Assert.Equal(decimal.GetBits(value), decimal.GetBits(back.Bar.Close));
        Assert.Equal(decimal.GetBits(value), decimal.GetBits(back.PreviousClose!.Value));
    }

    [Fact]
    public void A_quote_update_is_compact()
    {
        var (bytes, _) = RoundTrip(new SymbolProtocol.QuoteUpdated(WireSamples.Full with { Vwap = 412.01m }));
        Output?.WriteLine($"a full quote update: {bytes.Length} bytes");
        Assert.InRange(bytes.Length, 50, 120); // the positional format before it took about 200
    }

    [Fact]
    public void A_quote_update_written_after_another_carries_nothing_of_it()
    {
        // The hot path reuses its wire objects per thread: a quote with nulls after a full one must not inherit its values.
        RoundTrip(new SymbolProtocol.QuoteUpdated(WireSamples.Full, WireSamples.RawEvent));
        var after = new SymbolProtocol.QuoteUpdated(WireSamples.Nulls);

        WireAssert.SameContent(after, RoundTrip(after).Back);
    }

    [Fact]
    public void Writing_a_quote_update_allocates_little_more_than_its_bytes()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new SymbolProtocol.QuoteUpdated(WireSamples.Full));
        var update = new SymbolProtocol.QuoteUpdated(WireSamples.Full, WireSamples.RawEvent);
        var size = 0;
        for (var i = 0; i < 100; i++) size = serializer.ToBinary(update).Length; // warm up (JIT tiers)

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) serializer.ToBinary(update);
        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        Output?.WriteLine($"{size} bytes on the wire, {perMessage} bytes allocated per message");
        // The array (size + 24 bytes of header) and the raw event's wrapper: no wire object graph (about a dozen objects).
        Assert.InRange(perMessage, size, size + 120);
    }

    private (byte[] Bytes, object Back) RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<QuotesSerializer>(serializer);
        var manifest = AkkaSerialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);
        return (bytes, Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    private static IEnumerable<PropertyInfo> NullableQuoteProperties() =>
        typeof(Quote).GetProperties().Where(p => p.CanWrite && (Nullable.GetUnderlyingType(p.PropertyType) is not null || p.Name == nameof(Quote.Source)));

    /// <summary>A copy of <paramref name="quote"/> with one init-only property changed.</summary>
    private static Quote With(Quote quote, PropertyInfo property, object? value)
    {
        var copy = quote with { };
        property.SetValue(copy, value);
        return copy;
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
