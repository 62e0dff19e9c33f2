using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using W = Quotes.Actors.Cluster.Wire;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Serializer for every <see cref="IQuotesMessage"/>: a short string manifest per type and a Protocol Buffers payload
/// (Cluster/Protos/quotes_wire.proto), so a node reads the messages of a node one version older or newer: fields it does not
/// know are skipped, fields it expects but was not sent read as their defaults. Actor references travel as serialized paths.
/// <para>
/// The identifier is 4712, not the 4711 of the earlier positional (BinaryWriter) format: the manifests are the same, so a
/// node of that version would otherwise hand these bytes to its positional reader and misread them; with a new identifier
/// it rejects them as coming from an unknown serializer instead (and so does this version with its bytes).
/// </para>
/// Adding a message means adding its wire message, its mapping (<see cref="WireMapping"/>) and a line below; the specs
/// fail for an <see cref="IQuotesMessage"/> without one.
/// </summary>
public sealed class QuotesSerializer : SerializerWithStringManifest
{
    /// <summary>Never reused for another payload format: see the class comment.</summary>
    public const int SerializerId = 4_712;

    private readonly Dictionary<Type, WireFormat> byType = [];
    private readonly Dictionary<string, WireFormat> byManifest = [];

    public QuotesSerializer(ExtendedActorSystem system) : base(system)
    {
        var mapping = new WireMapping(system);
        WireFormat[] formats =
        [
            WireFormat.Of<SymbolProtocol.Aggregate, W.Aggregate>("A", W.Aggregate.Parser, WireMapping.ToWire, WireMapping.FromWire),
            // The hot path: one per quote update per remote hub, written with reused wire objects.
            WireFormat.Of<SymbolProtocol.QuoteUpdated, W.QuoteUpdated>("Q", W.QuoteUpdated.Parser, WireMapping.ToWire, WireMapping.FromWire)
                with { Write = message => QuoteUpdatedWriter.ToBinary((SymbolProtocol.QuoteUpdated)message) },
            // A burst's updates for one remote hub in one message (UpdateBatcher).
            WireFormat.Of<SymbolProtocol.QuoteBatch, W.QuoteBatch>("QB", W.QuoteBatch.Parser, WireMapping.ToWire, mapping.FromWire),
            // A frame's aggregates for one node, and a hub's renewals for one node (only to nodes that read them: NodeBatches).
            WireFormat.Of<SymbolProtocol.AggregateBatch, W.AggregateBatch>("AB", W.AggregateBatch.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Singleton("AK", W.AggregateBatchAck.Parser, SymbolProtocol.AggregateBatchAck.Instance),
            WireFormat.Of<SymbolProtocol.InterestRenewals, W.InterestRenewals>("IB", W.InterestRenewals.Parser, WireMapping.ToWire, mapping.FromWire),
            WireFormat.Of<SymbolProtocol.Interest, W.Interest>("I", W.Interest.Parser, WireMapping.ToWire, mapping.FromWire),
            WireFormat.Of<SymbolProtocol.ReleaseInterest, W.ReleaseInterest>("R", W.ReleaseInterest.Parser, WireMapping.ToWire, mapping.FromWire),
            WireFormat.Of<SymbolProtocol.Refresh, W.Refresh>("F", W.Refresh.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<SymbolProtocol.GetQuote, W.GetQuote>("G", W.GetQuote.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<SymbolProtocol.CurrentQuote, W.CurrentQuote>("C", W.CurrentQuote.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<SymbolProtocol.Snapshot, W.Snapshot>("S", W.Snapshot.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<SymbolProtocol.GetInterest, W.GetInterest>("GI", W.GetInterest.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<SymbolProtocol.InterestReport, W.InterestReport>("IR", W.InterestReport.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Singleton("X", W.Stop.Parser, SymbolProtocol.Stop.Instance),
            WireFormat.Of<UpstreamProtocol.Want, W.Want>("W", W.Want.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.WantBatch, W.WantBatch>("WB", W.WantBatch.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.Unwant, W.Unwant>("U", W.Unwant.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.WatchStatus, W.WatchStatus>("WS", W.WatchStatus.Parser, WireMapping.ToWire, mapping.FromWire),
            WireFormat.Of<UpstreamProtocol.StatusChanged, W.StatusChanged>("SC", W.StatusChanged.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Singleton("UG", W.UpstreamGetReport.Parser, UpstreamProtocol.GetReport.Instance),
            WireFormat.Singleton("RW", W.RecallWants.Parser, UpstreamProtocol.RecallWants.Instance),
            WireFormat.Of<UpstreamProtocol.HubWants, W.HubWants>("HW", W.HubWants.Parser, WireMapping.ToWire, mapping.FromWire),
            WireFormat.Of<UpstreamProtocol.Report, W.UpstreamReport>("UR", W.UpstreamReport.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.Admit, W.Admit>("AD", W.Admit.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.Admission, W.Admission>("AN", W.Admission.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.GetStreamed, W.GetStreamed>("GS", W.GetStreamed.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Of<UpstreamProtocol.Streamed, W.Streamed>("ST", W.Streamed.Parser, WireMapping.ToWire, WireMapping.FromWire),
            WireFormat.Singleton("HG", W.HubGetReport.Parser, HubProtocol.GetReport.Instance),
            WireFormat.Of<HubProtocol.Report, W.HubReport>("HR", W.HubReport.Parser, WireMapping.ToWire, WireMapping.FromWire),
            // A leaving node's latest quotes for the other hubs (only to nodes that read it: NodeBatches.ReadsBequests).
            WireFormat.Of<HubProtocol.Bequest, W.HubBequest>("HB", W.HubBequest.Parser, WireMapping.ToWire, WireMapping.FromWire),
        ];
        foreach (var format in formats)
        {
            byType.Add(format.Type, format);
            byManifest.Add(format.Manifest, format);
        }
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => Format(o).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var format = Format(obj);
        var bytes = format.Write(obj);
        WireTraffic.Sent(format.Manifest, bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!byManifest.TryGetValue(manifest, out var format))
            throw new SerializationException($"unknown manifest {manifest} for {nameof(QuotesSerializer)}");
        WireTraffic.Received(manifest, bytes.Length);
        return format.Read(bytes);
    }

    private WireFormat Format(object o) =>
        byType.TryGetValue(o.GetType(), out var format)
            ? format
            : throw new ArgumentException($"{o.GetType()} is not serialized by {nameof(QuotesSerializer)}");
}
