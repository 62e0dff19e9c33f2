using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Contracts;
using Quotes.Testing;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>
/// Thousands of generated hostile frames (<see cref="HostileFrames"/>, seeded) over real sockets on loopback, on the
/// client protocol and on the Polygon façade: every frame gets the protocol's answer or, for invalid UTF-8 only, a 1007
/// close frame (a reset does not count as one); no connection dies otherwise; afterwards a clean client streams, REST
/// answers, no session is left behind and nothing was logged as an error.
/// </summary>
public sealed class FuzzSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261126;
    private const int FramesPerWorker = 1000;
    private static readonly HashSet<string> ExpectedErrors =
        [ErrorCodes.BadJson, ErrorCodes.UnknownType, ErrorCodes.InvalidSymbol, ErrorCodes.SymbolLimit, ErrorCodes.MessageTooLarge];

    /// <summary>How one socket protocol is fuzzed: where, what opens a session, how to probe it, which answers are allowed.</summary>
    private sealed record Protocol(string Path, string? Hello, Func<string, string> Probe, Func<JsonElement, string?> ProbeId, Func<JsonElement, string?> Classify);

    /// <summary>The client protocol: a ping with an id answers the probe; errors must carry the protocol's own codes.</summary>
    private static readonly Protocol Quotes = new("/ws", null,
        id => "{\"type\":\"ping\",\"id\":\"" + id + "\"}",
        m => m.GetProperty("type").GetString() == "pong" && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
        m => m.GetProperty("type").GetString() switch
        {
            "error" when ExpectedErrors.Contains(m.GetProperty("code").GetString()!) => "error:" + m.GetProperty("code").GetString(),
            "welcome" or "status" or "subscribed" or "unsubscribed" or "quote" or "pong" => "",
            _ => null,
        });

    /// <summary>The Polygon façade, authenticated first: an unsubscribe echoes its channel; everything else is a status or an event.</summary>
    private static readonly Protocol Polygon = new("/polygon/stocks", "{\"action\":\"auth\",\"params\":\"" + QuotesServer.ClientKey + "\"}",
        id => "{\"action\":\"unsubscribe\",\"params\":\"A." + id + "\"}",
        m => m.GetProperty("ev").GetString() == "status" && m.GetProperty("message").GetString() is { } text && text.StartsWith("unsubscribed to: A.")
            ? text["unsubscribed to: A.".Length..] : null,
        m => m.GetProperty("ev").GetString() switch
        {
            "status" when m.GetProperty("status").GetString() is "connected" or "auth_success" or "success" or "error" => "status:" + m.GetProperty("status").GetString(),
            "A" => "",
            _ => null,
        });

    private QuotesServer _server = null!;

    // The rate limit would (rightly) stop a flood; lift it so that every frame reaches the parser.
    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Quotes:CommandsPerSecond"] = "100000",
        ["Quotes:CommandBurst"] = "100000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Thousands_of_hostile_frames_get_protocol_answers_and_the_server_keeps_serving_everyone()
    {
        var total = await FuzzAsync(Quotes, workers: 4);
        Assert.True(total.Answers.GetValueOrDefault("error:" + ErrorCodes.BadJson) > 500, "most frames are not valid commands");
        Assert.True(total.Answers.GetValueOrDefault("error:" + ErrorCodes.MessageTooLarge) > 0);
        Assert.True(total.Answers.GetValueOrDefault("error:" + ErrorCodes.InvalidSymbol) > 0);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Hostile_frames_on_the_Polygon_facade_get_status_answers_and_the_server_keeps_serving_everyone()
    {
        var total = await FuzzAsync(Polygon, workers: 1);
        Assert.True(total.Answers.GetValueOrDefault("status:error") > 500, "most frames are not valid actions");
        await AssertStillServingAsync();
    }

    private async Task<Tally> FuzzAsync(Protocol protocol, int workers)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => WorkAsync(protocol, new HostileFrames(Seed + w), budget.Token)));
        var total = results.Aggregate(new Tally(), (a, b) => a.Add(b));
        output.WriteLine($"{protocol.Path}: frames {total.Frames}, server messages {total.Messages}, answers: " +
                         string.Join(", ", total.Answers.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}")) +
                         $", invalid UTF-8 frames {total.Utf8Frames}, 1007 closes {total.Utf8Closes}, connections {total.Connections}");
        Assert.Equal(workers * FramesPerWorker, total.Frames);
        Assert.Empty(total.Unexpected);
        Assert.True(total.Utf8Frames > 0, "some frames were invalid UTF-8");
        Assert.Equal(total.Utf8Frames, total.Utf8Closes); // each one got its 1007 close frame
        return total;
    }

    private async Task AssertStillServingAsync()
    {
        // A clean client still streams and REST still answers.
        await using var clean = await _server.ConnectAsync();
        await clean.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await clean.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));
        using var http = _server.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-API-Key", QuotesServer.ClientKey);
        var quote = await http.GetFromJsonAsync<JsonElement>("/api/market/quote/AAPL");
        Assert.True(quote.GetProperty("success").GetBoolean());

        // No fuzzing session is left on the node, and nothing was logged as an error.
        var hub = _server.Services.GetRequiredService<IRequiredActor<NodeHub>>().ActorRef;
        await Eventually.HoldsAsync(async () =>
            Assert.Equal(1, (await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, TimeSpan.FromSeconds(3))).Sessions));
        // Faulted tasks nobody awaited are reported when they are collected: collect now, so that they surface here.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var errors = _server.Logs.At(LogEventLevel.Error).Concat(_server.Logs.At(LogEventLevel.Fatal)).ToList();
        Assert.True(errors.Count == 0, "logged as errors:\n" + string.Join("\n", errors));
    }

    private async Task<Tally> WorkAsync(Protocol protocol, HostileFrames frames, CancellationToken ct)
    {
        var tally = new Tally();
        var connection = await OpenAsync(protocol, tally, ct);
        for (var i = 0; i < FramesPerWorker; i++)
        {
            var frame = frames.Next();
            tally.Frames++;
            if (frame.InvalidUtf8)
            {
                tally.Utf8Frames++;
                // RFC 6455: the connection fails with 1007, on its own socket so the others' frames are unaffected.
                await using var victim = await OpenAsync(protocol, tally, ct);
                try
                {
                    await SendAsync(victim.Socket, frame, ct);
                }
                catch (WebSocketException)
                {
                    // The server fails the connection at the first invalid bytes; a fragmented frame's later parts can
                    // then meet a reset socket. The close status below still tells what the server did.
                }
                // Only a received close frame with 1007 counts: a reset or any other status is a failure.
                var status = await victim.ClosedAsync(ct);
                if (status is WebSocketCloseStatus.InvalidPayloadData) tally.Utf8Closes++;
                else tally.Add(status is null ? $"invalid UTF-8 (frame {i}, {frame.Fragments} fragment(s)) met no close frame: {victim.Failure}"
                    : $"invalid UTF-8 (frame {i}) closed with {status}");
                continue;
            }
            await SendAsync(connection.Socket, frame, ct);
            // Every 100 frames: everything so far was answered, in order, on a connection still open.
            if (i % 100 == 99 && !await connection.RoundTripAsync($"PROBE{i}", ct))
            {
                tally.Add($"the connection ended (close {connection.CloseStatus}) within frames {i - 99}..{i}");
                await connection.DisposeAsync();
                connection = await OpenAsync(protocol, tally, ct);
            }
        }
        if (!await connection.RoundTripAsync("DONE", ct)) tally.Add("the connection ended before the last probe");
        await connection.DisposeAsync();
        return tally;
    }

    private static async Task SendAsync(ClientWebSocket socket, HostileFrames.Frame frame, CancellationToken ct)
    {
        var bytes = frame.Bytes.AsMemory();
        var size = Math.Max(1, (bytes.Length + frame.Fragments - 1) / frame.Fragments);
        do
        {
            var part = bytes[..Math.Min(size, bytes.Length)];
            bytes = bytes[part.Length..];
            await socket.SendAsync(part, frame.Type, bytes.Length == 0, ct);
        }
        while (bytes.Length > 0);
    }

    private async Task<Connection> OpenAsync(Protocol protocol, Tally tally, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-API-Key", QuotesServer.ClientKey);
        await socket.ConnectAsync(_server.SocketUri(protocol.Path, key: null), ct);
        tally.Connections++;
        var connection = new Connection(socket, protocol, tally);
        if (protocol.Hello is { } hello) await socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, true, ct);
        return connection;
    }

    private sealed class Tally
    {
        public int Frames, Messages, Utf8Frames, Utf8Closes, Connections;
        public readonly Dictionary<string, int> Answers = new();
        public readonly List<string> Unexpected = [];

        public void Add(string unexpected)
        {
            lock (this) Unexpected.Add(unexpected);
        }

        public void Count(string answer)
        {
            lock (this)
            {
                Messages++;
                if (answer.Length > 0) Answers[answer] = Answers.GetValueOrDefault(answer) + 1;
            }
        }

        public Tally Add(Tally other)
        {
            Frames += other.Frames; Messages += other.Messages; Utf8Frames += other.Utf8Frames; Utf8Closes += other.Utf8Closes; Connections += other.Connections;
            foreach (var (answer, n) in other.Answers) Answers[answer] = Answers.GetValueOrDefault(answer) + n;
            Unexpected.AddRange(other.Unexpected);
            return this;
        }
    }

    /// <summary>One fuzzing connection: a reader checks every server message as it comes and answers probes.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly Protocol _protocol;
        private readonly Tally _tally;
        private readonly Task _reader;
        private readonly Dictionary<string, TaskCompletionSource> _probes = new();

        public Connection(ClientWebSocket socket, Protocol protocol, Tally tally)
        {
            Socket = socket;
            _protocol = protocol;
            _tally = tally;
            _reader = Task.Run(ReadAsync);
        }

        public ClientWebSocket Socket { get; }
        public WebSocketCloseStatus? CloseStatus { get; private set; }

        /// <summary>How the connection ended when no close frame came (a reset): never counted as a close status.</summary>
        public string? Failure { get; private set; }

        /// <summary>Sends a probe and waits for its answer; false when the connection ended instead.</summary>
        public async Task<bool> RoundTripAsync(string id, CancellationToken ct)
        {
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_probes) _probes[id] = answered;
            try
            {
                await Socket.SendAsync(Encoding.UTF8.GetBytes(_protocol.Probe(id)), WebSocketMessageType.Text, true, ct);
            }
            catch (WebSocketException)
            {
                return false;
            }
            return await Task.WhenAny(answered.Task, _reader).WaitAsync(ct) == answered.Task;
        }

        public async Task<WebSocketCloseStatus?> ClosedAsync(CancellationToken ct)
        {
            await _reader.WaitAsync(ct);
            return CloseStatus;
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var length = 0;
                    WebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                        result = await Socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseStatus = result.CloseStatus;
                        return;
                    }
                    Check(buffer.AsSpan(0, length).ToArray());
                }
            }
            catch (WebSocketException e)
            {
                // The connection broke without a close frame: no close status (CloseStatus stays null).
                Failure = e.Message;
            }
        }

        private void Check(byte[] frame)
        {
            JsonElement messages;
            try
            {
                messages = JsonDocument.Parse(frame).RootElement;
            }
            catch (JsonException)
            {
                _tally.Add("a server frame that is not JSON");
                return;
            }
            if (messages.ValueKind != JsonValueKind.Array)
            {
                _tally.Add("a server frame that is not an array");
                return;
            }
            foreach (var message in messages.EnumerateArray())
            {
                if (_protocol.ProbeId(message) is { } probe)
                {
                    TaskCompletionSource? waiting;
                    lock (_probes) _probes.Remove(probe, out waiting);
                    waiting?.TrySetResult();
                    _tally.Count("");
                    continue;
                }
                if (_protocol.Classify(message) is { } answer) _tally.Count(answer);
                else _tally.Add($"unexpected message {message}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Socket.State == WebSocketState.Open)
            {
                try { await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
                catch (WebSocketException) { }
            }
            await _reader.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => { _ = t.Exception; });
            Socket.Dispose();
        }
    }
}
