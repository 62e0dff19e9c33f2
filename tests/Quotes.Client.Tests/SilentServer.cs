using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quotes.Client.Tests;

/// <summary>
/// A real Kestrel WebSocket endpoint that says <c>welcome</c> and then never answers anything: a link gone silent, as
/// behind a stalled proxy. It tells each connection and each text message it receives.
/// </summary>
public sealed class SilentServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SilentServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>One entry per accepted connection ("connected") and per text message received.</summary>
    public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();

    public static async Task<SilentServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        SilentServer? server = null;
        app.Map("/ws", async (HttpContext context) => await server!.AcceptAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server = new SilentServer(app, new UriBuilder(address) { Scheme = "ws", Path = "/ws" }.Uri);
        return server;
    }

    private async Task AcceptAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Events.Writer.TryWrite("connected");
        await socket.SendAsync("""[{"type":"welcome","sessionId":"silent","maxSymbols":50,"node":"silent","protocol":1}]"""u8.ToArray(),
            WebSocketMessageType.Text, true, context.RequestAborted);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close) return;
                Events.Writer.TryWrite(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the client gave up on this connection
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
