using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Quotes.Actors.Fanout;
using Quotes.Actors.Polygon;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream;
using Quotes.Contracts;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Binary serializer for every <see cref="IQuotesMessage"/>: a short string manifest per type and a hand-written payload
/// (about 100 bytes for a quote, against several hundred as JSON). Actor references travel as their serialized paths.
/// Adding a message means adding its manifest here; the round-trip spec covers every one.
/// </summary>
public sealed class QuotesSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => 4_711;

    public override string Manifest(object o) => o switch
    {
        SymbolProtocol.Aggregate => "A",
        SymbolProtocol.QuoteUpdated => "Q",
        SymbolProtocol.Interest => "I",
        SymbolProtocol.ReleaseInterest => "R",
        SymbolProtocol.Refresh => "F",
        SymbolProtocol.GetQuote => "G",
        SymbolProtocol.CurrentQuote => "C",
        SymbolProtocol.Snapshot => "S",
        SymbolProtocol.GetInterest => "GI",
        SymbolProtocol.InterestReport => "IR",
        SymbolProtocol.Stop => "X",
        UpstreamProtocol.Want => "W",
        UpstreamProtocol.Unwant => "U",
        UpstreamProtocol.WatchStatus => "WS",
        UpstreamProtocol.StatusChanged => "SC",
        UpstreamProtocol.GetReport => "UG",
        UpstreamProtocol.RecallWants => "RW",
        UpstreamProtocol.HubWants => "HW",
        UpstreamProtocol.Report => "UR",
        HubProtocol.GetReport => "HG",
        HubProtocol.Report => "HR",
        _ => throw new ArgumentException($"{o.GetType()} has no manifest in {nameof(QuotesSerializer)}"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(128);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case SymbolProtocol.Aggregate m: w.Write(m.Symbol); WriteBar(w, m.Bar); break;
                case SymbolProtocol.QuoteUpdated m: WriteQuote(w, m.Quote); WriteBytes(w, m.RawEvent); break;
                case SymbolProtocol.Interest m: w.Write(m.Symbol); WriteRef(w, m.Hub); w.Write(m.WantSnapshot); WriteOptionalQuote(w, m.Seed); break;
                case SymbolProtocol.ReleaseInterest m: w.Write(m.Symbol); WriteRef(w, m.Hub); break;
                case SymbolProtocol.Refresh m: w.Write(m.Symbol); WriteBar(w, m.Bar); WriteDecimal(w, m.PreviousClose); break;
                case SymbolProtocol.GetQuote m: w.Write(m.Symbol); break;
                case SymbolProtocol.CurrentQuote m: w.Write(m.Symbol); WriteOptionalQuote(w, m.Quote); break;
                case SymbolProtocol.Snapshot m: w.Write(m.Symbol); WriteOptionalQuote(w, m.Quote); break;
                case SymbolProtocol.GetInterest m: w.Write(m.Symbol); break;
                case SymbolProtocol.InterestReport m: w.Write(m.Symbol); w.Write(m.Hubs.Count); foreach (var h in m.Hubs) w.Write(h); break;
                case SymbolProtocol.Stop: break;
                case UpstreamProtocol.Want m: w.Write(m.Symbol); break;
                case UpstreamProtocol.Unwant m: w.Write(m.Symbol); break;
                case UpstreamProtocol.WatchStatus m: WriteRef(w, m.Hub); break;
                case UpstreamProtocol.StatusChanged m: w.Write(m.State); w.Write(m.Reason); break;
                case UpstreamProtocol.GetReport: break;
                case UpstreamProtocol.RecallWants: break;
                case UpstreamProtocol.HubWants m: WriteRef(w, m.Hub); WriteStrings(w, m.Symbols); break;
                case UpstreamProtocol.Report m:
                    w.Write(m.State); w.Write(m.Reason); WriteStrings(w, m.Wanted); WriteStrings(w, m.Subscribed); w.Write(m.ConnectionsOpened);
                    w.Write(m.Attempt); w.Write(m.RecentDelays.Count); foreach (var d in m.RecentDelays) w.Write(d.Ticks); w.Write(m.Malformed); w.Write(m.Node);
                    break;
                case HubProtocol.GetReport: break;
                case HubProtocol.Report m:
                    w.Write(m.Sessions); w.Write(m.Symbols); w.Write(m.Upstream); w.Write(m.UpstreamReason); w.Write(m.Market);
                    w.Write(m.Backlog.PendingQuotes); w.Write(m.Backlog.PendingControl); w.Write(m.Backlog.LargestOutbox); w.Write(m.Backlog.Conflated);
                    break;
                default: throw new ArgumentException($"{obj.GetType()} is not serialized by {nameof(QuotesSerializer)}");
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return manifest switch
        {
            "A" => new SymbolProtocol.Aggregate(r.ReadString(), ReadBar(r)),
            "Q" => new SymbolProtocol.QuoteUpdated(ReadQuote(r), ReadBytes(r)),
            // The seed was appended in a later version: bytes from a node without it end before it.
            "I" => new SymbolProtocol.Interest(r.ReadString(), ReadRef(r), r.ReadBoolean(), r.BaseStream.Position < r.BaseStream.Length ? ReadOptionalQuote(r) : null),
            "R" => new SymbolProtocol.ReleaseInterest(r.ReadString(), ReadRef(r)),
            "F" => new SymbolProtocol.Refresh(r.ReadString(), ReadBar(r), ReadDecimal(r)),
            "G" => new SymbolProtocol.GetQuote(r.ReadString()),
            "C" => new SymbolProtocol.CurrentQuote(r.ReadString(), ReadOptionalQuote(r)),
            "S" => new SymbolProtocol.Snapshot(r.ReadString(), ReadOptionalQuote(r)),
            "GI" => new SymbolProtocol.GetInterest(r.ReadString()),
            "IR" => new SymbolProtocol.InterestReport(r.ReadString(), ReadStrings(r)),
            "X" => SymbolProtocol.Stop.Instance,
            "W" => new UpstreamProtocol.Want(r.ReadString()),
            "U" => new UpstreamProtocol.Unwant(r.ReadString()),
            "WS" => new UpstreamProtocol.WatchStatus(ReadRef(r)),
            "SC" => new UpstreamProtocol.StatusChanged(r.ReadString(), r.ReadString()),
            "UG" => UpstreamProtocol.GetReport.Instance,
            "RW" => UpstreamProtocol.RecallWants.Instance,
            "HW" => new UpstreamProtocol.HubWants(ReadRef(r), ReadStrings(r)),
            "UR" => new UpstreamProtocol.Report(r.ReadString(), r.ReadString(), ReadStrings(r), ReadStrings(r), r.ReadInt32(), r.ReadInt32(),
                Enumerable.Range(0, r.ReadInt32()).Select(_ => TimeSpan.FromTicks(r.ReadInt64())).ToList(), r.ReadInt64(), r.ReadString()),
            "HG" => HubProtocol.GetReport.Instance,
            "HR" => new HubProtocol.Report(r.ReadInt32(), r.ReadInt32(), r.ReadString(), r.ReadString(), r.ReadString(),
                new OutboxBacklog(r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt64())),
            _ => throw new System.Runtime.Serialization.SerializationException($"unknown manifest {manifest} for {nameof(QuotesSerializer)}"),
        };
    }

    private static void WriteBar(BinaryWriter w, AggregateBar b)
    {
        w.Write(b.Symbol); w.Write(b.Open); w.Write(b.High); w.Write(b.Low); w.Write(b.Close); w.Write(b.Volume); w.Write(b.AccumulatedVolume);
        w.Write(b.OfficialOpen); w.Write(b.WindowVwap); w.Write(b.DayVwap); w.Write(b.Start); w.Write(b.End); WriteBytes(w, b.Raw);
    }

    private static void WriteBytes(BinaryWriter w, byte[]? bytes)
    {
        w.Write(bytes?.Length ?? -1);
        if (bytes is not null) w.Write(bytes);
    }

    private static byte[]? ReadBytes(BinaryReader r) => r.ReadInt32() is var n and >= 0 ? r.ReadBytes(n) : null;

    private static AggregateBar ReadBar(BinaryReader r) => new()
    {
        Symbol = r.ReadString(), Open = r.ReadDecimal(), High = r.ReadDecimal(), Low = r.ReadDecimal(), Close = r.ReadDecimal(), Volume = r.ReadInt64(),
        AccumulatedVolume = r.ReadInt64(), OfficialOpen = r.ReadDecimal(), WindowVwap = r.ReadDecimal(), DayVwap = r.ReadDecimal(), Start = r.ReadInt64(), End = r.ReadInt64(),
        Raw = ReadBytes(r),
    };

    private static void WriteQuote(BinaryWriter w, Quote q)
    {
        w.Write(q.Symbol); w.Write(q.Price); WriteDecimal(w, q.PreviousPrice); WriteDecimal(w, q.Change); WriteDecimal(w, q.ChangePercent);
        WriteDecimal(w, q.PreviousClose); WriteDecimal(w, q.Open); WriteDecimal(w, q.High); WriteDecimal(w, q.Low); w.Write(q.Volume); WriteDecimal(w, q.Vwap);
        w.Write(q.Timestamp); w.Write(q.Seq); w.Write(q.Snapshot == true); w.Write(q.Source ?? "");
    }

    private static Quote ReadQuote(BinaryReader r)
    {
        var quote = new Quote
        {
            Symbol = r.ReadString(), Price = r.ReadDecimal(), PreviousPrice = ReadDecimal(r), Change = ReadDecimal(r), ChangePercent = ReadDecimal(r),
            PreviousClose = ReadDecimal(r), Open = ReadDecimal(r), High = ReadDecimal(r), Low = ReadDecimal(r), Volume = r.ReadInt64(), Vwap = ReadDecimal(r),
            Timestamp = r.ReadInt64(), Seq = r.ReadInt64(),
        };
        var snapshot = r.ReadBoolean();
        var source = r.ReadString();
        return quote with { Snapshot = snapshot ? true : null, Source = source.Length == 0 ? null : source };
    }

    private static void WriteOptionalQuote(BinaryWriter w, Quote? q)
    {
        w.Write(q is not null);
        if (q is not null) WriteQuote(w, q);
    }

    private static Quote? ReadOptionalQuote(BinaryReader r) => r.ReadBoolean() ? ReadQuote(r) : null;

    private static void WriteDecimal(BinaryWriter w, decimal? value)
    {
        w.Write(value.HasValue);
        if (value is { } v) w.Write(v);
    }

    private static decimal? ReadDecimal(BinaryReader r) => r.ReadBoolean() ? r.ReadDecimal() : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values) w.Write(v);
    }

    private static IReadOnlyList<string> ReadStrings(BinaryReader r) => Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToList();

    private static void WriteRef(BinaryWriter w, IActorRef actor) => w.Write(Serialization.SerializedActorPath(actor));

    private IActorRef ReadRef(BinaryReader r) => system.Provider.ResolveActorRef(r.ReadString());
}
