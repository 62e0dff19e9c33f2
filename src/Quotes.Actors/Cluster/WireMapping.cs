using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using Akka.Actor;
using Google.Protobuf;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;
using W = Quotes.Actors.Cluster.Wire;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Each cross-node record to its generated wire message (<c>ToWire</c>) and back (<c>FromWire</c>), one small pair per
/// type. Actor references travel as serialized actor paths and are resolved by the reading system, so reading needs it.
/// Optional values keep their presence: a null decimal or quote is an absent message, a null byte array or string an unset
/// <c>optional</c> field.
/// </summary>
internal sealed class WireMapping(ExtendedActorSystem system)
{
    // --- SymbolProtocol

    public static W.Interest ToWire(SymbolProtocol.Interest m) =>
        new() { Symbol = m.Symbol, Hub = Path(m.Hub), WantSnapshot = m.WantSnapshot, Seed = ToWireOrNull(m.Seed), WantsRaw = m.WantsRaw };

    public SymbolProtocol.Interest FromWire(W.Interest w) =>
        new(w.Symbol, Resolve(w.Hub), w.WantSnapshot, FromWireOrNull(w.Seed), w.WantsRaw);

    public static W.ReleaseInterest ToWire(SymbolProtocol.ReleaseInterest m) => new() { Symbol = m.Symbol, Hub = Path(m.Hub) };

    public SymbolProtocol.ReleaseInterest FromWire(W.ReleaseInterest w) => new(w.Symbol, Resolve(w.Hub));

    public static W.Aggregate ToWire(SymbolProtocol.Aggregate m) => new() { Symbol = m.Symbol, Bar = ToWire(m.Bar) };

    public static SymbolProtocol.Aggregate FromWire(W.Aggregate w) => new(w.Symbol, FromWire(Required(w.Bar, "Aggregate.bar")));

    public static W.Refresh ToWire(SymbolProtocol.Refresh m) =>
        new() { Symbol = m.Symbol, Bar = ToWire(m.Bar), PreviousClose = WireDecimal.ToWire(m.PreviousClose) };

    public static SymbolProtocol.Refresh FromWire(W.Refresh w) =>
        new(w.Symbol, FromWire(Required(w.Bar, "Refresh.bar")), WireDecimal.FromWire(w.PreviousClose));

    public static W.GetQuote ToWire(SymbolProtocol.GetQuote m) => new() { Symbol = m.Symbol };

    public static SymbolProtocol.GetQuote FromWire(W.GetQuote w) => new(w.Symbol);

    public static W.CurrentQuote ToWire(SymbolProtocol.CurrentQuote m) => new() { Symbol = m.Symbol, Quote = ToWireOrNull(m.Quote) };

    public static SymbolProtocol.CurrentQuote FromWire(W.CurrentQuote w) => new(w.Symbol, FromWireOrNull(w.Quote));

    public static W.Snapshot ToWire(SymbolProtocol.Snapshot m) => new() { Symbol = m.Symbol, Quote = ToWireOrNull(m.Quote) };

    public static SymbolProtocol.Snapshot FromWire(W.Snapshot w) => new(w.Symbol, FromWireOrNull(w.Quote));

    /// <summary>Not used to write on the hot path (<see cref="QuoteUpdatedWriter"/> reuses its wire objects), but the same mapping.</summary>
    public static W.QuoteUpdated ToWire(SymbolProtocol.QuoteUpdated m) => Fill(new W.QuoteUpdated { Quote = new W.Quote() }, m, reuse: null);

    public static SymbolProtocol.QuoteUpdated FromWire(W.QuoteUpdated w) =>
        new(FromWire(Required(w.Quote, "QuoteUpdated.quote")), w.HasRawEvent ? ToArray(w.RawEvent) : null, w.NoNewEvent);

    public static W.QuoteBatch ToWire(SymbolProtocol.QuoteBatch m)
    {
        var batch = new W.QuoteBatch();
        foreach (var item in m.Updates) batch.Updates.Add(new W.BatchedQuote { Entity = Path(item.Entity), Update = ToWire(item.Update) });
        return batch;
    }

    public SymbolProtocol.QuoteBatch FromWire(W.QuoteBatch w)
    {
        var updates = new SymbolProtocol.QuoteBatch.Item[w.Updates.Count];
        for (var i = 0; i < updates.Length; i++)
            updates[i] = new SymbolProtocol.QuoteBatch.Item(Resolve(w.Updates[i].Entity), FromWire(Required(w.Updates[i].Update, "BatchedQuote.update")));
        return new SymbolProtocol.QuoteBatch(updates);
    }

    public static W.AggregateBatch ToWire(SymbolProtocol.AggregateBatch m)
    {
        var batch = new W.AggregateBatch();
        foreach (var bar in m.Bars) batch.Bars.Add(ToWire(bar));
        return batch;
    }

    public static SymbolProtocol.AggregateBatch FromWire(W.AggregateBatch w) => new(w.Bars.Select(FromWire).ToArray());

    public static W.InterestRenewals ToWire(SymbolProtocol.InterestRenewals m)
    {
        var renewals = new W.InterestRenewals { Hub = Path(m.Hub) };
        foreach (var item in m.Interests) renewals.Interests.Add(new W.RenewedInterest { Symbol = item.Symbol, WantsRaw = item.WantsRaw });
        return renewals;
    }

    public SymbolProtocol.InterestRenewals FromWire(W.InterestRenewals w) =>
        new(Resolve(w.Hub), w.Interests.Select(i => new SymbolProtocol.InterestRenewals.Item(i.Symbol, i.WantsRaw)).ToArray());

    public static W.GetInterest ToWire(SymbolProtocol.GetInterest m) => new() { Symbol = m.Symbol };

    public static SymbolProtocol.GetInterest FromWire(W.GetInterest w) => new(w.Symbol);

    public static W.InterestReport ToWire(SymbolProtocol.InterestReport m) => new() { Symbol = m.Symbol, Hubs = { m.Hubs } };

    public static SymbolProtocol.InterestReport FromWire(W.InterestReport w) => new(w.Symbol, [.. w.Hubs]);

    // --- UpstreamProtocol

    public static W.Want ToWire(UpstreamProtocol.Want m) => new() { Symbol = m.Symbol };

    public static W.WantBatch ToWire(UpstreamProtocol.WantBatch m) => new() { Symbols = { m.Symbols } };

    public static UpstreamProtocol.WantBatch FromWire(W.WantBatch w) => new([.. w.Symbols]);

    public static UpstreamProtocol.Want FromWire(W.Want w) => new(w.Symbol);

    public static W.Unwant ToWire(UpstreamProtocol.Unwant m) => new() { Symbol = m.Symbol };

    public static UpstreamProtocol.Unwant FromWire(W.Unwant w) => new(w.Symbol);

    public static W.HubWants ToWire(UpstreamProtocol.HubWants m) => new() { Hub = Path(m.Hub), Symbols = { m.Symbols } };

    public UpstreamProtocol.HubWants FromWire(W.HubWants w) => new(Resolve(w.Hub), [.. w.Symbols]);

    public static W.WatchStatus ToWire(UpstreamProtocol.WatchStatus m) => new() { Hub = Path(m.Hub) };

    public UpstreamProtocol.WatchStatus FromWire(W.WatchStatus w) => new(Resolve(w.Hub));

    public static W.StatusChanged ToWire(UpstreamProtocol.StatusChanged m) => new() { State = m.State, Reason = m.Reason, Simulated = m.Simulated };

    public static UpstreamProtocol.StatusChanged FromWire(W.StatusChanged w) => new(w.State, w.Reason, w.Simulated);

    public static W.UpstreamReport ToWire(UpstreamProtocol.Report m)
    {
        var w = new W.UpstreamReport
        {
            State = m.State, Reason = m.Reason, Wanted = { m.Wanted }, Subscribed = { m.Subscribed }, ConnectionsOpened = m.ConnectionsOpened,
            Attempt = m.Attempt, Malformed = m.Malformed, Node = m.Node, MaxSymbols = m.MaxSymbols, OverCap = m.OverCap, Conflated = m.Conflated,
        };
        foreach (var delay in m.RecentDelays) w.RecentDelayTicks.Add(delay.Ticks);
        return w;
    }

    public static UpstreamProtocol.Report FromWire(W.UpstreamReport w)
    {
        var delays = new TimeSpan[w.RecentDelayTicks.Count];
        for (var i = 0; i < delays.Length; i++) delays[i] = TimeSpan.FromTicks(w.RecentDelayTicks[i]);
        return new(w.State, w.Reason, [.. w.Wanted], [.. w.Subscribed], w.ConnectionsOpened, w.Attempt, delays, w.Malformed, w.Node, w.MaxSymbols, w.OverCap, w.Conflated);
    }

    public static W.Admit ToWire(UpstreamProtocol.Admit m) => new() { Symbols = { m.Symbols } };

    public static UpstreamProtocol.Admit FromWire(W.Admit w) => new([.. w.Symbols]);

    public static W.Admission ToWire(UpstreamProtocol.Admission m) => new() { Admitted = m.Admitted, Carried = m.Carried, Max = m.Max };

    public static UpstreamProtocol.Admission FromWire(W.Admission w) => new(w.Admitted, w.Carried, w.Max);

    public static W.GetStreamed ToWire(UpstreamProtocol.GetStreamed m) => new() { Symbols = { m.Symbols } };

    public static UpstreamProtocol.GetStreamed FromWire(W.GetStreamed w) => new([.. w.Symbols]);

    public static W.Streamed ToWire(UpstreamProtocol.Streamed m) => new() { Symbols = { m.Symbols } };

    public static UpstreamProtocol.Streamed FromWire(W.Streamed w) => new([.. w.Symbols]);

    // --- HubProtocol

    public static W.HubBequest ToWire(HubProtocol.Bequest m)
    {
        var w = new W.HubBequest();
        foreach (var quote in m.Quotes) w.Quotes.Add(ToWire(quote));
        return w;
    }

    public static HubProtocol.Bequest FromWire(W.HubBequest w) => new(w.Quotes.Select(FromWire).ToList());

    public static W.HubReport ToWire(HubProtocol.Report m) => new()
    {
        Sessions = m.Sessions, Symbols = m.Symbols, Upstream = m.Upstream, UpstreamReason = m.UpstreamReason, Market = m.Market,
        Backlog = new W.OutboxBacklog
        {
            PendingQuotes = m.Backlog.PendingQuotes, PendingControl = m.Backlog.PendingControl, LargestOutbox = m.Backlog.LargestOutbox,
            Conflated = m.Backlog.Conflated,
        },
        Subscriptions = m.Subscriptions, SlowConsumersClosed = m.SlowConsumersClosed,
    };

    public static HubProtocol.Report FromWire(W.HubReport w)
    {
        var b = Required(w.Backlog, "HubReport.backlog");
        return new(w.Sessions, w.Symbols, w.Upstream, w.UpstreamReason, w.Market,
            new OutboxBacklog(b.PendingQuotes, b.PendingControl, b.LargestOutbox, b.Conflated), w.Subscriptions, w.SlowConsumersClosed);
    }

    // --- Shared parts

    /// <summary>How many reusable decimals a quote's <c>Fill</c> takes: one per decimal field of <see cref="Quote"/>.</summary>
    public const int QuoteDecimals = 12;

    /// <summary>
    /// Fills a quote update's wire message, whose <c>Quote</c> is set. <paramref name="reuse"/>: <see cref="QuoteDecimals"/>
    /// decimals that the hot path keeps per thread, or null to allocate new ones.
    /// </summary>
    public static W.QuoteUpdated Fill(W.QuoteUpdated target, SymbolProtocol.QuoteUpdated m, W.DecimalValue[]? reuse)
    {
        Fill(target.Quote, m.Quote, reuse);
        if (m.RawEvent is { } raw) target.RawEvent = UnsafeByteOperations.UnsafeWrap(raw); // no copy: the bytes are only read
        else target.ClearRawEvent();
        target.NoNewEvent = m.NoNewEvent;
        return target;
    }

    public static W.Quote ToWire(Quote q) => Fill(new W.Quote(), q, reuse: null);

    public static Quote FromWire(W.Quote w) => new()
    {
        Symbol = w.Symbol,
        Price = WireDecimal.FromWireOrZero(w.Price),
        PreviousPrice = WireDecimal.FromWire(w.PreviousPrice),
        Change = WireDecimal.FromWire(w.Change),
        ChangePercent = WireDecimal.FromWire(w.ChangePercent),
        PreviousClose = WireDecimal.FromWire(w.PreviousClose),
        Open = WireDecimal.FromWire(w.Open),
        High = WireDecimal.FromWire(w.High),
        Low = WireDecimal.FromWire(w.Low),
        Volume = w.Volume,
        Vwap = WireDecimal.FromWire(w.Vwap),
        Timestamp = w.Timestamp,
        Seq = w.Seq,
        Snapshot = w.HasSnapshot ? w.Snapshot : null,
        Source = w.HasSource ? w.Source : null,
        BarOpen = WireDecimal.FromWire(w.BarOpen),
        BarHigh = WireDecimal.FromWire(w.BarHigh),
        BarLow = WireDecimal.FromWire(w.BarLow),
        BarVolume = w.HasBarVolume ? w.BarVolume : null,
    };

    public static W.AggregateBar ToWire(AggregateBar b)
    {
        var w = new W.AggregateBar
        {
            Symbol = b.Symbol, Open = WireDecimal.ToWire(b.Open), High = WireDecimal.ToWire(b.High), Low = WireDecimal.ToWire(b.Low),
            Close = WireDecimal.ToWire(b.Close), Volume = b.Volume, AccumulatedVolume = b.AccumulatedVolume, OfficialOpen = WireDecimal.ToWire(b.OfficialOpen),
            WindowVwap = WireDecimal.ToWire(b.WindowVwap), DayVwap = WireDecimal.ToWire(b.DayVwap), Start = b.Start, End = b.End,
        };
        if (b.Raw is { } raw) w.Raw = UnsafeByteOperations.UnsafeWrap(raw);
        return w;
    }

    public static AggregateBar FromWire(W.AggregateBar w) => new()
    {
        Symbol = w.Symbol, Open = WireDecimal.FromWireOrZero(w.Open), High = WireDecimal.FromWireOrZero(w.High), Low = WireDecimal.FromWireOrZero(w.Low),
        Close = WireDecimal.FromWireOrZero(w.Close), Volume = w.Volume, AccumulatedVolume = w.AccumulatedVolume,
        OfficialOpen = WireDecimal.FromWireOrZero(w.OfficialOpen), WindowVwap = WireDecimal.FromWireOrZero(w.WindowVwap),
        DayVwap = WireDecimal.FromWireOrZero(w.DayVwap), Start = w.Start, End = w.End, Raw = w.HasRaw ? ToArray(w.Raw) : null,
    };

    /// <summary>One mapping of a quote for both a new wire message and the hot path's reused one (which may hold the last quote's fields).</summary>
    private static W.Quote Fill(W.Quote w, Quote q, W.DecimalValue[]? reuse)
    {
        w.Symbol = q.Symbol;
        w.Price = Decimal(q.Price, reuse, 0);
        w.PreviousPrice = Decimal(q.PreviousPrice, reuse, 1);
        w.Change = Decimal(q.Change, reuse, 2);
        w.ChangePercent = Decimal(q.ChangePercent, reuse, 3);
        w.PreviousClose = Decimal(q.PreviousClose, reuse, 4);
        w.Open = Decimal(q.Open, reuse, 5);
        w.High = Decimal(q.High, reuse, 6);
        w.Low = Decimal(q.Low, reuse, 7);
        w.Volume = q.Volume;
        w.Vwap = Decimal(q.Vwap, reuse, 8);
        w.Timestamp = q.Timestamp;
        w.Seq = q.Seq;
        if (q.Snapshot is { } snapshot) w.Snapshot = snapshot;
        else w.ClearSnapshot();
        if (q.Source is { } source) w.Source = source;
        else w.ClearSource();
        w.BarOpen = Decimal(q.BarOpen, reuse, 9);
        w.BarHigh = Decimal(q.BarHigh, reuse, 10);
        w.BarLow = Decimal(q.BarLow, reuse, 11);
        if (q.BarVolume is { } barVolume) w.BarVolume = barVolume;
        else w.ClearBarVolume();
        return w;
    }

    private static W.DecimalValue? Decimal(decimal? value, W.DecimalValue[]? reuse, int slot) =>
        value is { } v ? WireDecimal.Write(v, reuse?[slot] ?? new W.DecimalValue()) : null;

    private static W.Quote? ToWireOrNull(Quote? q) => q is null ? null : ToWire(q);

    private static Quote? FromWireOrNull(W.Quote? w) => w is null ? null : FromWire(w);

    /// <summary>
    /// The parsed bytes' own array when the <see cref="ByteString"/> wraps exactly one (parsing copies each bytes field into
    /// an array of its own): nothing else references it once the wire message is dropped, so the event is not copied a
    /// second time. Raw events are never written to, so sharing the array is safe either way.
    /// </summary>
    private static byte[] ToArray(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    private static T Required<T>(T? value, string field) where T : class =>
        value ?? throw new SerializationException($"{field} is missing");

    private static string Path(IActorRef actor) => Akka.Serialization.Serialization.SerializedActorPath(actor);

    private IActorRef Resolve(string path) => system.Provider.ResolveActorRef(path);
}
