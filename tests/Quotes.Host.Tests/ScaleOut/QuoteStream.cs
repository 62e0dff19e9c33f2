using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Testing;

namespace Quotes.Host.Tests.ScaleOut;

/// <summary>
/// One client connection subscribed to many symbols, read without pause in the background, that records every quote it
/// is sent: when it arrived (on a clock shared by every stream of a spec), its <c>seq</c>, event time and day state. Specs
/// read the record afterwards: the longest wait between fresh quotes per symbol, and any step back in <c>seq</c> or day
/// state. A fresh quote is one whose event time is later than any this client had for the symbol.
/// </summary>
public sealed class QuoteStream : IAsyncDisposable
{
    /// <param name="At">Arrival on the spec's clock.</param>
    public sealed record Arrival(TimeSpan At, long Seq, long Timestamp, decimal? High, decimal? Low, long Volume, bool Snapshot, bool Fresh);

    private readonly TestSocket _socket;
    private readonly Stopwatch _clock;
    private readonly Dictionary<string, List<Arrival>> _arrivals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _newest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;

    private QuoteStream(string name, TestSocket socket, Stopwatch clock)
    {
        Name = name;
        _socket = socket;
        _clock = clock;
    }

    /// <summary>Which node the client is on, for messages.</summary>
    public string Name { get; }

    /// <summary>When the server closed the connection, and how.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }
    public TimeSpan? ClosedAt { get; private set; }

    /// <summary>Connects to <paramref name="node"/>, subscribes to <paramref name="symbols"/> and starts recording.</summary>
    public static async Task<QuoteStream> OpenAsync(string name, Uri node, string key, IReadOnlyList<string> symbols, Stopwatch clock)
    {
        var socket = await TestSocket.ConnectAsync(new UriBuilder(node) { Scheme = "ws", Path = "/ws", Query = "apiKey=" + key }.Uri);
        var stream = new QuoteStream(name, socket, clock);
        await socket.SendAsync(JsonSerializer.Serialize(new { type = "subscribe", symbols }));
        await socket.ExpectAsync("type", "subscribed");
        stream.Record(0);
        stream._reader = Task.Run(stream.ReadAsync);
        return stream;
    }

    private async Task ReadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var from = _socket.Received.Count;
            string? frame;
            try
            {
                frame = await _socket.ReceiveFrameAsync(TimeSpan.FromMinutes(10));
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                frame = null;
            }
            if (frame is null)
            {
                lock (_arrivals)
                {
                    CloseStatus = _socket.CloseStatus;
                    ClosedAt = _clock.Elapsed;
                }
                Signal();
                return;
            }
            Record(from);
            Signal();
        }
    }

    /// <summary>Completes when the next frame arrives (or the connection ends).</summary>
    private Task NextArrival
    {
        get { lock (_arrivals) return _arrival.Task; }
    }

    private void Signal()
    {
        TaskCompletionSource arrived;
        lock (_arrivals)
        {
            arrived = _arrival;
            _arrival = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> over what <paramref name="streams"/> recorded holds, checking it again
    /// each time one of them receives a frame; false when <paramref name="budget"/> ran out first.
    /// </summary>
    public static async Task<bool> UntilAsync(IReadOnlyList<QuoteStream> streams, Func<bool> condition, TimeSpan budget)
    {
        using var deadline = new CancellationTokenSource(budget);
        while (true)
        {
            var arrivals = streams.Select(s => s.NextArrival).ToList(); // taken before the check: no frame slips between
            if (condition()) return true;
            try
            {
                await Task.WhenAny(arrivals).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return condition();
            }
        }
    }

    private void Record(int from)
    {
        var at = _clock.Elapsed;
        lock (_arrivals)
        {
            for (var i = from; i < _socket.Received.Count; i++)
            {
                var m = _socket.Received[i];
                if (m.GetProperty("type").GetString() != "quote") continue;
                var symbol = m.GetProperty("symbol").GetString()!;
                if (!_arrivals.TryGetValue(symbol, out var list)) _arrivals[symbol] = list = [];
                var timestamp = m.GetProperty("timestamp").GetInt64();
                var fresh = timestamp > _newest.GetValueOrDefault(symbol);
                if (fresh) _newest[symbol] = timestamp;
                list.Add(new Arrival(at, m.GetProperty("seq").GetInt64(), timestamp, Decimal(m, "high"), Decimal(m, "low"),
                    m.GetProperty("volume").GetInt64(), m.TryGetProperty("snapshot", out var s) && s.GetBoolean(), fresh));
            }
        }
    }

    private static decimal? Decimal(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    /// <summary>Every quote of <paramref name="symbol"/> received so far, in order.</summary>
    public IReadOnlyList<Arrival> Of(string symbol)
    {
        lock (_arrivals) return _arrivals.TryGetValue(symbol, out var list) ? list.ToList() : [];
    }

    /// <summary>Fresh quotes of <paramref name="symbol"/> that arrived after <paramref name="after"/>.</summary>
    public int FreshSince(string symbol, TimeSpan after) => Of(symbol).Count(a => a.Fresh && a.At > after);

    /// <summary>The highest <c>seq</c> this client has seen for <paramref name="symbol"/> (0 for none).</summary>
    public long LatestSeq(string symbol) => Of(symbol).Select(a => a.Seq).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The longest wait for a fresh quote of <paramref name="symbol"/> that overlapped [<paramref name="from"/>,
    /// <paramref name="to"/>]: between two fresh arrivals, or from the last one to <paramref name="to"/>.
    /// </summary>
    public TimeSpan LongestGap(string symbol, TimeSpan from, TimeSpan to)
    {
        var fresh = Of(symbol).Where(a => a.Fresh).Select(a => a.At).Append(to).ToList();
        var longest = TimeSpan.Zero;
        for (var i = 1; i < fresh.Count; i++)
            if (fresh[i] > from && fresh[i - 1] < to && fresh[i] - fresh[i - 1] > longest) longest = fresh[i] - fresh[i - 1];
        return longest;
    }

    /// <summary>
    /// Every step back this client saw, in words: <c>seq</c> lower than before, or, within one New York trading day, a
    /// day high lower, a day low higher or a day volume lower than in an earlier quote.
    /// </summary>
    public IReadOnlyList<string> Regressions()
    {
        var found = new List<string>();
        lock (_arrivals)
        {
            foreach (var (symbol, list) in _arrivals)
                for (var i = 1; i < list.Count; i++)
                {
                    var (before, after) = (list[i - 1], list[i]);
                    var where = $"{Name} {symbol} at {after.At.TotalSeconds:F1} s";
                    if (after.Seq < before.Seq) found.Add($"{where}: seq {before.Seq} -> {after.Seq}");
                    if (MarketCalendar.DayEndMs(after.Timestamp) != MarketCalendar.DayEndMs(before.Timestamp)) continue;
                    if (after.High < before.High) found.Add($"{where}: high {before.High} -> {after.High}");
                    if (after.Low > before.Low) found.Add($"{where}: low {before.Low} -> {after.Low}");
                    if (after.Volume < before.Volume) found.Add($"{where}: volume {before.Volume} -> {after.Volume}");
                }
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _reader.ContinueWith(t => { _ = t.Exception; }); // a fault is observed here, not left to the finalizer
        await _socket.DisposeAsync();
        _stop.Dispose();
    }
}
