using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Quotes.Testing;

/// <summary>
/// A real <see cref="ClientWebSocket"/> for specs: sends text, reads whole frames, and waits for a message matching a
/// predicate. Every wait has a deadline, so a missing message fails the spec instead of hanging it.
/// </summary>
public sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[1024 * 1024];

    private TestSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>Every JSON message received so far, in order (frames flattened).</summary>
    public List<JsonElement> Received { get; } = [];

    /// <summary>Every raw frame received so far.</summary>
    public List<string> Frames { get; } = [];

    public static async Task<TestSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var cts = new CancellationTokenSource(DefaultWait);
        await socket.ConnectAsync(uri, cts.Token);
        return new TestSocket(socket);
    }

    /// <summary>Tries an upgrade and returns the HTTP status the server answered with.</summary>
    public static async Task<HttpStatusCode> UpgradeStatusAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var cts = new CancellationTokenSource(DefaultWait);
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var cts = new CancellationTokenSource(DefaultWait);
        await _socket.SendAsync(bytes, type, true, cts.Token);
    }

    /// <summary>Reads the next whole frame as text; null when the server closed the socket.</summary>
    public async Task<string?> ReceiveFrameAsync(TimeSpan? wait = null)
    {
        using var cts = new CancellationTokenSource(wait ?? DefaultWait);
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            length += result.Count;
            if (!result.EndOfMessage) continue;
            var frame = Encoding.UTF8.GetString(_buffer, 0, length);
            Frames.Add(frame);
            using var doc = JsonDocument.Parse(frame);
            if (doc.RootElement.ValueKind == JsonValueKind.Array) Received.AddRange(doc.RootElement.EnumerateArray().Select(e => e.Clone()));
            else Received.Add(doc.RootElement.Clone());
            return frame;
        }
    }

    /// <summary>Reads until a message matching <paramref name="match"/> arrives (or was already received after <paramref name="from"/>).</summary>
    public async Task<JsonElement> ExpectAsync(Func<JsonElement, bool> match, TimeSpan? wait = null, int from = 0)
    {
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        var checkedUpTo = from;
        while (true)
        {
            for (; checkedUpTo < Received.Count; checkedUpTo++)
                if (match(Received[checkedUpTo])) return Received[checkedUpTo];
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no matching message; received: " + string.Join(" ", Received.Select(r => r.GetRawText())));
            try
            {
                if (await ReceiveFrameAsync(left) is null) throw new InvalidOperationException("socket closed; received: " + string.Join(" ", Received.Select(r => r.GetRawText())));
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no matching message in time; received: " + string.Join(" ", Received.Select(r => r.GetRawText())));
            }
        }
    }

    /// <summary>True for a client-protocol <c>quote</c> message of <paramref name="symbol"/>.</summary>
    public static bool IsQuote(JsonElement m, string symbol) =>
        m.GetProperty("type").GetString() == "quote" && m.GetProperty("symbol").GetString() == symbol;

    /// <summary>Shorthand for a message whose <paramref name="field"/> equals <paramref name="value"/>.</summary>
    public Task<JsonElement> ExpectAsync(string field, string value, TimeSpan? wait = null, int from = 0) =>
        ExpectAsync(m => m.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == value, wait, from);

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <summary>Drops the connection at once (no close handshake), e.g. to stop a reader blocked in a receive.</summary>
    public void Abort() => _socket.Abort();

    public async Task CloseAsync()
    {
        if (_socket.State != WebSocketState.Open) return;
        using var cts = new CancellationTokenSource(DefaultWait);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try { await CloseAsync(); }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        _socket.Dispose();
    }
}
