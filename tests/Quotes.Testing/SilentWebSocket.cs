using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Quotes.Testing;

/// <summary>
/// A WebSocket client on a bare TCP connection that completes the upgrade and then answers nothing, not even the server's
/// close: what a client that holds a closing connection open looks like (a <c>ClientWebSocket</c> answers on its own).
/// </summary>
public static class SilentWebSocket
{
    /// <summary>
    /// Upgrades at <paramref name="path"/>, reads the server's frames without answering any, and returns how long after
    /// the server's close frame arrived the server ended the connection.
    /// </summary>
    public static async Task<TimeSpan> CloseUnansweredForAsync(Uri baseUrl, string path, TimeSpan budget)
    {
        using var deadline = new CancellationTokenSource(budget);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, deadline.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"), deadline.Token);

        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal)) head.Append((char)await ReadByteAsync(stream, deadline.Token));
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) throw new InvalidOperationException($"no upgrade: {head}");

        // Server frames are not masked: opcode, length (7 bits, or 16 or 64 more), payload.
        while (true)
        {
            var opcode = await ReadByteAsync(stream, deadline.Token) & 0x0F;
            long length = await ReadByteAsync(stream, deadline.Token) & 0x7F;
            var extra = length switch { 126 => 2, 127 => 8, _ => 0 };
            if (extra > 0) length = 0;
            for (var i = 0; i < extra; i++) length = (length << 8) + await ReadByteAsync(stream, deadline.Token);
            for (var i = 0L; i < length; i++) await ReadByteAsync(stream, deadline.Token);
            if (opcode == 0x8) break;
        }
        var closeReceived = Stopwatch.StartNew();
        try
        {
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer, deadline.Token) > 0) { }
        }
        catch (IOException) { } // a reset is an end too
        return closeReceived.Elapsed;
    }

    private static async Task<int> ReadByteAsync(NetworkStream stream, CancellationToken ct)
    {
        var one = new byte[1];
        return await stream.ReadAsync(one, ct) == 1 ? one[0] : throw new EndOfStreamException("the server ended the connection");
    }
}
