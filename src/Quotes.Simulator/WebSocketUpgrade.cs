using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Quotes.Simulator;

/// <summary>
/// Accepts a WebSocket over a transport the simulator controls (<see cref="StallableStream"/>), so that a stall fault
/// can stop pongs as well as data. The handshake is RFC 6455 §4.2.2.
/// </summary>
internal static class WebSocketUpgrade
{
    private const string Rfc6455Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<WebSocket?> AcceptAsync(HttpContext context, SimulatorFaults faults)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || string.IsNullOrEmpty(key)) return null;

        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + Rfc6455Guid)));
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        var transport = await upgrade.UpgradeAsync();
        return WebSocket.CreateFromStream(new StallableStream(transport, faults), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,
        });
    }
}
