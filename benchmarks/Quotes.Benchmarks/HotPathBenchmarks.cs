using System.Buffers;
using BenchmarkDotNet.Attributes;
using Quotes.Actors.Outbox;
using Quotes.Actors.Symbols;
using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Benchmarks;

/// <summary>
/// The per-event hot path, stage by stage: an upstream frame parsed, a symbol's state moved, the quote encoded once per
/// node, offered to a client's outbox (conflating), and drained into one outgoing frame.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private byte[] _frame500 = null!;
    private byte[] _frame1 = null!;
    private QuoteState _state = null!;
    private AggregateBar _bar = null!;
    private Quote _quote = null!;
    private byte[] _encoded = null!;
    private string[] _symbols = null!;
    private SessionOutbox _outbox = null!;
    private ArrayBufferWriter<byte> _writer = null!;
    private long _end = 1_764_000_010_000;

    [GlobalSetup]
    public void Setup()
    {
        _frame500 = Samples.Frame(500);
        _frame1 = Samples.Frame(1);
        _state = Samples.State();
        _bar = Samples.Bar(_end, 190.42m);
        _quote = _state.Apply(_bar).ToQuote()!;
        _encoded = ServerMessageEncoder.Encode(_quote);
        _symbols = Enumerable.Range(0, 50).Select(i => $"S{i}").ToArray();
        _outbox = new SessionOutbox();
        _writer = new ArrayBufferWriter<byte>(64 * 1024);
    }

    [Benchmark(Description = "parse a 500-aggregate upstream frame")]
    public int ParseFrame500() => PolygonEventParser.Parse(_frame500).Events.Count;

    [Benchmark(Description = "parse a 1-aggregate upstream frame")]
    public int ParseFrame1() => PolygonEventParser.Parse(_frame1).Events.Count;

    [Benchmark(Description = "QuoteState.Apply (one aggregate)")]
    public long Apply() => _state.Apply(_bar with { End = ++_end, Start = _end - 1000 }).Seq;

    [Benchmark(Description = "QuoteState.Apply + ToQuote")]
    public decimal? ApplyAndQuote() => _state.Apply(_bar with { End = ++_end, Start = _end - 1000 }).ToQuote()?.Price;

    [Benchmark(Description = "encode one quote (UTF-8 JSON)")]
    public int Encode() => ServerMessageEncoder.Encode(_quote).Length;

    [Benchmark(Description = "offer 50 quotes to an outbox holding them (conflation)")]
    public long Conflate()
    {
        foreach (var symbol in _symbols) _outbox.OfferQuote(_outbox.SlotFor(symbol), _encoded);
        return _outbox.Conflated;
    }

    [Benchmark(Description = "offer 50 quotes, drain them into one frame")]
    public int AssembleFrame()
    {
        foreach (var symbol in _symbols) _outbox.OfferQuote(_outbox.SlotFor(symbol), _encoded);
        _writer.ResetWrittenCount();
        return _outbox.DrainTo(_writer);
    }
}
