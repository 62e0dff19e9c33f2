using System.Buffers;
using System.Net.WebSockets;

namespace Quotes.Contracts.WebSockets;

/// <summary>What one call to <see cref="WebSocketMessageReader.ReadAsync"/> found.</summary>
public enum ReadOutcome { Message, TooLarge, Closed }

/// <summary>
/// Reads whole WebSocket messages into one reusable buffer, never holding more than a cap.
/// A message past the cap is drained (so the socket stays usable) and reported as <see cref="ReadOutcome.TooLarge"/>.
/// The one way every socket in AkkaQuotes (client sessions, the simulator, the upstream) reads frames.
/// An idle connection holds no buffer: each read starts with a zero-byte receive that waits for the next message, and
/// only then rents a small buffer (client commands are a few dozen bytes) that doubles as a message needs it, up to the
/// cap. The buffer goes back to the pool when the next read starts.
/// </summary>
public sealed class WebSocketMessageReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private const int InitialBytes = 1024;
    private byte[] _buffer = [];

    /// <summary>The message just read; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Message { get; private set; }

    public WebSocketMessageType MessageType { get; private set; }

    public async ValueTask<ReadOutcome> ReadAsync(CancellationToken ct)
    {
        ReturnBuffer(); // the previous message is done with
        var waiting = await socket.ReceiveAsync(Memory<byte>.Empty, ct).ConfigureAwait(false);
        if (waiting.MessageType == WebSocketMessageType.Close) return ReadOutcome.Closed;
        if (waiting.EndOfMessage)
        {
            // An empty message: its only frame is already read.
            MessageType = waiting.MessageType;
            Message = ReadOnlyMemory<byte>.Empty;
            return ReadOutcome.Message;
        }

        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxMessageBytes, InitialBytes));
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            if (length == _buffer.Length && !tooLarge)
            {
                if (_buffer.Length >= maxMessageBytes) tooLarge = true;
                else Grow();
            }

            var target = tooLarge ? _buffer.AsMemory() : _buffer.AsMemory(length);
            var result = await socket.ReceiveAsync(target, ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return ReadOutcome.Closed;
            if (!tooLarge) length += result.Count;
            if (length > maxMessageBytes) tooLarge = true;
            if (!result.EndOfMessage) continue;

            MessageType = result.MessageType;
            Message = tooLarge ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, length);
            return tooLarge ? ReadOutcome.TooLarge : ReadOutcome.Message;
        }
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(maxMessageBytes + 1, _buffer.Length * 2));
        _buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Message = ReadOnlyMemory<byte>.Empty;
    }

    public void Dispose() => ReturnBuffer();
}
