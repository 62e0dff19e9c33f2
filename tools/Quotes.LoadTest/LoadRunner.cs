using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Quotes.LoadTest;

/// <summary>
/// Opens the clients, subscribes them, and measures over the window: delivered quotes and frames per second, end-to-end
/// latency from each quote's <c>timestamp</c> (the upstream event time, stamped by the simulator when it sends) to receipt,
/// <c>seq</c> gaps (conflation), errors, disconnects and reading clients that got no quote. Each client's frames go through its
/// own <see cref="FrameScanner"/>.
/// </summary>
public static class LoadRunner
{
    private sealed class Counters
    {
        public long Disconnects;
        public volatile bool Measuring;
    }

    /// <summary>One reading client: its scanner and the frames it received while measuring.</summary>
    private sealed class Reader(FrameScanner scanner, int url)
    {
        public readonly FrameScanner Scanner = scanner;
        public readonly int Url = url;
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

        var urls = options.Urls;
        var clientsPerUrl = new int[urls.Count];
        var sockets = new List<ClientWebSocket>();
        var readers = new List<Reader>();
        var reading = new List<Task>();
        for (var c = 0; c < options.Clients; c++)
        {
            var symbols = universe.OrderBy(_ => random.Next()).Take(options.SymbolsPerClient).ToArray();
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-API-Key", options.Key);
            var url = c % urls.Count;
            clientsPerUrl[url]++;
            await socket.ConnectAsync(urls[url], ct);
            await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "subscribe", ["symbols"] = symbols })),
                WebSocketMessageType.Text, true, ct);
            sockets.Add(socket);
            if (c < stuck) continue;
            var reader = new Reader(new FrameScanner(histogram), url);
            readers.Add(reader);
            reading.Add(Task.Run(() => ReadAsync(socket, reader, counters, stop.Token)));
        }

        options.Progress?.Invoke("connected");
        await Task.Delay(options.Warmup, ct);
        histogram.Reset();
        var cpuStart = options.CpuPids.Select(ProcessTicks).ToArray();
        options.Progress?.Invoke("window start");
        counters.Measuring = true;
        var started = DateTime.UtcNow;
        await Task.Delay(options.Duration, ct);
        counters.Measuring = false;
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var cpuEnd = options.CpuPids.Select(ProcessTicks).ToArray();
        options.Progress?.Invoke("window end");

        await stop.CancelAsync();
        foreach (var socket in sockets) socket.Abort();
        await Task.WhenAll(reading.Select(r => r.ContinueWith(_ => { })));
        foreach (var socket in sockets) socket.Dispose();

        var (quotes, frames) = (readers.Sum(r => r.Scanner.Quotes), readers.Sum(r => r.Frames));
        var perUrl = urls.Select((u, i) =>
        {
            var (q, f) = (readers.Where(r => r.Url == i).Sum(r => r.Scanner.Quotes), readers.Where(r => r.Url == i).Sum(r => r.Frames));
            return new UrlReport(u.ToString(), clientsPerUrl[i], q, Math.Round(q / seconds), f, Math.Round(f / seconds), f == 0 ? 0 : Math.Round((double)q / f, 2),
                readers.Count(r => r.Url == i && r.Scanner.Quotes == 0));
        }).ToArray();
        var cpu = options.CpuPids.Select((pid, i) =>
        {
            var ok = cpuStart[i] >= 0 && cpuEnd[i] >= 0;
            var cpuSeconds = ok ? (double)(cpuEnd[i] - cpuStart[i]) / options.ClockTicksPerSecond : -1;
            return new ProcessCpu(pid, cpuStart[i], cpuEnd[i], Math.Round(cpuSeconds, 3), ok ? Math.Round(cpuSeconds / seconds, 3) : -1);
        }).ToArray();
        return new LoadReport(options.Clients, stuck, options.SymbolsPerClient, options.Universe, Math.Round(seconds, 2),
            quotes, Math.Round(quotes / seconds), frames, Math.Round(frames / seconds),
            histogram.Percentile(50), histogram.Percentile(90), histogram.Percentile(99), histogram.Percentile(99.9), histogram.Max,
            readers.Sum(r => r.Scanner.Gaps), readers.Sum(r => r.Scanner.Errors), counters.Disconnects,
            readers.Count(r => r.Scanner.Quotes == 0))
        { PerUrl = perUrl, Cpu = cpu };
    }

    /// <summary>utime + stime of a process in clock ticks (fields 14 and 15 of <c>/proc/PID/stat</c>), or -1 if unreadable.</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]); // fields[0] is field 3 (state)
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
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
