using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

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
        builder.Services.AddOptions<SocketSchedulingOptions>().BindConfiguration(SocketSchedulingOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<SocketSchedulingOptions>>((transport, scheduling) =>
            transport.UnsafePreferInlineScheduling = scheduling.Value.InlineSocketScheduling);
    }
}
