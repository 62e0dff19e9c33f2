using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Quotes.LoadTest;

/// <summary>
/// Opens the clients, subscribes them, and measures over the window: delivered quotes and frames per second, end-to-end
/// latency from each quote's <c>timestamp</c> (the upstream event time, stamped by the simulator when it sends) to receipt,
/// <c>seq</c> gaps (conflation), errors and disconnects. Each client's frames go through its own <see cref="FrameScanner"/>.
/// </summary>
public static class LoadRunner
{
    private sealed class Counters
    {
        public long Disconnects;
        public volatile bool Measuring;
    }

    /// <summary>One reading client: its scanner and the frames it received while measuring.</summary>
    private sealed class Reader(FrameScanner scanner)
    {
        public readonly FrameScanner Scanner = scanner;
        public long Frames;
    }

    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken ct = default)
    {
        var random = new Random(options.Seed);
        var universe = Enumerable.Range(0, options.Universe).Select(i => $"L{i:D4}").ToArray();
        var stuck = (int)Math.Round(options.Clients * options.StuckFraction);
        var histogram = new LatencyHistogram();
        var counters = new Counters();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var sockets = new List<ClientWebSocket>();
        var readers = new List<Reader>();
        var reading = new List<Task>();
        for (var c = 0; c < options.Clients; c++)
        {
            var symbols = universe.OrderBy(_ => random.Next()).Take(options.SymbolsPerClient).ToArray();
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-API-Key", options.Key);
            await socket.ConnectAsync(options.Url, ct);
            await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "subscribe", ["symbols"] = symbols })),
                WebSocketMessageType.Text, true, ct);
            sockets.Add(socket);
            if (c < stuck) continue;
            var reader = new Reader(new FrameScanner(histogram));
            readers.Add(reader);
            reading.Add(Task.Run(() => ReadAsync(socket, reader, counters, stop.Token)));
        }

        await Task.Delay(options.Warmup, ct);
        histogram.Reset();
        counters.Measuring = true;
        var started = DateTime.UtcNow;
        await Task.Delay(options.Duration, ct);
        counters.Measuring = false;
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        await stop.CancelAsync();
        foreach (var socket in sockets) socket.Abort();
        await Task.WhenAll(reading.Select(r => r.ContinueWith(_ => { })));
        foreach (var socket in sockets) socket.Dispose();

        var (quotes, frames) = (readers.Sum(r => r.Scanner.Quotes), readers.Sum(r => r.Frames));
        return new LoadReport(options.Clients, stuck, options.SymbolsPerClient, options.Universe, Math.Round(seconds, 2),
            quotes, Math.Round(quotes / seconds), frames, Math.Round(frames / seconds),
            histogram.Percentile(50), histogram.Percentile(90), histogram.Percentile(99), histogram.Percentile(99.9), histogram.Max,
            readers.Sum(r => r.Scanner.Gaps), readers.Sum(r => r.Scanner.Errors), counters.Disconnects);
    }

    private static async Task ReadAsync(ClientWebSocket socket, Reader reader, Counters counters, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                } while (!result.EndOfMessage && length < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref counters.Disconnects);
                    return;
                }
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var measuring = counters.Measuring;
                if (measuring) reader.Frames++;
                reader.Scanner.Scan(buffer.AsSpan(0, length), now, measuring);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            if (!ct.IsCancellationRequested) Interlocked.Increment(ref counters.Disconnects);
        }
    }
}
