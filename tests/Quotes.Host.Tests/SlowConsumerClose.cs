using System.Net.WebSockets;

namespace Quotes.Host.Tests;

/// <summary>A stuck client that starts reading again: everything queued for it, up to the server's close.</summary>
internal static class SlowConsumerClose
{
    /// <summary>Reads <paramref name="client"/> until the server's close frame (within 30 s).</summary>
    public static async Task ReadUpToTheCloseAsync(ClientWebSocket client)
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        WebSocketReceiveResult result;
        do result = await client.ReceiveAsync(buffer, deadline.Token);
        while (result.MessageType != WebSocketMessageType.Close);
    }
}
