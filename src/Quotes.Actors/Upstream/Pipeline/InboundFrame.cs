using System.Net.WebSockets;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// One message read from the upstream socket: a text frame's bytes, or, for a message that is not read (a binary frame,
/// one past the size cap), why it was skipped. A skipped message counts as malformed and costs that message only.
/// <see cref="Link"/> numbers the connection that carried it, so its statuses are never taken for a later connection's.
/// </summary>
public readonly record struct InboundFrame(byte[]? Text, string? Skipped, int Link = 0, LinkEnd? End = null)
{
    /// <summary>The last element of a connection: how it ended, in line after everything it carried.</summary>
    public static InboundFrame Ended(LinkEnd end, int link) => new(null, null, link, end);

    public static InboundFrame Of(byte[] text) => new(text, null);

    public static InboundFrame Skip(string why) => new(null, why);
}

/// <summary>How a connection ended: <see cref="Reason"/> is safe to log; <see cref="CloseStatus"/> when Polygon closed it with a handshake.</summary>
public sealed record LinkEnd(string Reason, WebSocketCloseStatus? CloseStatus);
