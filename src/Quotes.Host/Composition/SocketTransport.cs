using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Quotes.Host.Composition;

/// <summary>
/// Kestrel's socket transport. <c>Limits:InlineSocketScheduling</c> (default on) runs socket completions and pipe
/// continuations inline instead of handing each to Kestrel's I/O queues: a client frame then goes from the writer to
/// the socket without a thread hop. Safe here because nothing on a socket's path blocks (docs/PERFORMANCE.md).
/// </summary>
public static class SocketTransport
{
    public static void AddSocketTransport(this WebApplicationBuilder builder)
    {
        var inline = builder.Configuration.GetValue("Limits:InlineSocketScheduling", true);
        builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = inline);
    }
}
