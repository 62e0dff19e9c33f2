using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Quotes.LoadTest;

/// <summary>
/// Opens the clients, subscribes them, and measures over the window: delivered quotes and frames per second, end-to-end
/// latency from each quote's <c>timestamp</c> (the upstream event time, stamped by the simulator when it sends) to receipt,
/// <c>seq</c> gaps (conflation), errors and disconnects. Frames are scanned with <see cref="Utf8JsonReader"/>, no allocation per quote.
/// </summary>
public static class LoadRunner
{
    private sealed class Counters
    {
        public long Quotes, Frames, Gaps, Errors, Disconnects;
        public volatile bool Measuring;
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
        var readers = new List<Task>();
        for (var c = 0; c < options.Clients; c++)
        {
            var symbols = universe.OrderBy(_ => random.Next()).Take(options.SymbolsPerClient).ToArray();
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-API-Key", options.Key);
            await socket.ConnectAsync(options.Url, ct);
            await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "subscribe", ["symbols"] = symbols })),
                WebSocketMessageType.Text, true, ct);
            sockets.Add(socket);
            if (c >= stuck) readers.Add(Task.Run(() => ReadAsync(socket, histogram, counters, stop.Token)));
        }

        await Task.Delay(options.Warmup, ct);
        histogram.Reset();
        Interlocked.Exchange(ref counters.Quotes, 0);
        Interlocked.Exchange(ref counters.Frames, 0);
        Interlocked.Exchange(ref counters.Gaps, 0);
        counters.Measuring = true;
        var started = DateTime.UtcNow;
        await Task.Delay(options.Duration, ct);
        counters.Measuring = false;
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        await stop.CancelAsync();
        foreach (var socket in sockets) socket.Abort();
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { })));
        foreach (var socket in sockets) socket.Dispose();

        return new LoadReport(options.Clients, stuck, options.SymbolsPerClient, options.Universe, Math.Round(seconds, 2),
            counters.Quotes, Math.Round(counters.Quotes / seconds), counters.Frames, Math.Round(counters.Frames / seconds),
            histogram.Percentile(50), histogram.Percentile(90), histogram.Percentile(99), histogram.Percentile(99.9), histogram.Max,
            counters.Gaps, counters.Errors, counters.Disconnects);
    }

    private static async Task ReadAsync(ClientWebSocket socket, LatencyHistogram histogram, Counters counters, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        var lastSeq = new Dictionary<string, long>(StringComparer.Ordinal);
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
                if (counters.Measuring) Interlocked.Increment(ref counters.Frames);
                Scan(buffer.AsSpan(0, length), now, histogram, counters, lastSeq);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            if (!ct.IsCancellationRequested) Interlocked.Increment(ref counters.Disconnects);
        }
    }

    private static void Scan(ReadOnlySpan<byte> frame, long now, LatencyHistogram histogram, Counters counters, Dictionary<string, long> lastSeq)
    {
        var reader = new Utf8JsonReader(frame);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.StartObject || reader.CurrentDepth != 1) continue;
            string? type = null, symbol = null;
            long timestamp = 0, seq = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) { reader.Skip(); continue; }
                if (reader.ValueTextEquals("type")) { reader.Read(); type = reader.GetString(); }
                else if (reader.ValueTextEquals("symbol")) { reader.Read(); symbol = reader.GetString(); }
                else if (reader.ValueTextEquals("timestamp")) { reader.Read(); timestamp = reader.GetInt64(); }
                else if (reader.ValueTextEquals("seq")) { reader.Read(); seq = reader.GetInt64(); }
                else { reader.Read(); reader.Skip(); }
            }
            if (type == "error") Interlocked.Increment(ref counters.Errors);
            if (type != "quote" || symbol is null) continue;
            if (lastSeq.TryGetValue(symbol, out var last) && seq > last + 1 && counters.Measuring) Interlocked.Add(ref counters.Gaps, seq - last - 1);
            lastSeq[symbol] = seq;
            if (!counters.Measuring) continue;
            Interlocked.Increment(ref counters.Quotes);
            histogram.Record(Math.Max(0, now - timestamp));
        }
    }
}
