using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quotes.Client.Tests;

/// <summary>
/// A real Kestrel WebSocket endpoint that plays a script on each connection: a server misbehaving in exactly the way a
/// spec needs (refusing a resubscribe, closing right after <c>welcome</c>), which a real host will not do on demand.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    private ScriptedServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static async Task<ScriptedServer> StartAsync(Func<ScriptedConnection, Task> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        ScriptedServer? server = null;
        app.Map("/ws", async (HttpContext context) => await server!.AcceptAsync(context, script));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server = new ScriptedServer(app, new UriBuilder(address) { Scheme = "ws", Path = "/ws" }.Uri);
        return server;
    }

    private async Task AcceptAsync(HttpContext context, Func<ScriptedConnection, Task> script)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new ScriptedConnection(socket, Interlocked.Increment(ref _connections), context.RequestAborted);
        try
        {
            await script(connection);
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

/// <summary>One connection of a <see cref="ScriptedServer"/>: what the script sends, reads and closes.</summary>
public sealed class ScriptedConnection(WebSocket socket, int number, CancellationToken aborted)
{
    /// <summary>1 for the first connection the server accepted, and so on.</summary>
    public int Number { get; } = number;

    public static string Welcome(int number) =>
        $$"""{"type":"welcome","sessionId":"scripted-{{number}}","maxSymbols":50,"node":"scripted","protocol":1}""";

    /// <summary>A welcome that announces the connection's command budget, as the server's does.</summary>
    public static string Welcome(int number, double commandsPerSecond, int commandBurst) =>
        $$"""{"type":"welcome","sessionId":"scripted-{{number}}","maxSymbols":50,"node":"scripted","protocol":1,"commandsPerSecond":{{commandsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"commandBurst":{{commandBurst}}}""";

    public static string Subscribed(JsonElement request) =>
        $$"""{"type":"subscribed","symbols":{{request.GetProperty("symbols").GetRawText()}},"count":{{request.GetProperty("symbols").GetArrayLength()}},"limit":50,"id":{{request.GetProperty("id").GetRawText()}}}""";

    public static string Error(string code, string message, JsonElement request) =>
        $$"""{"type":"error","code":"{{code}}","message":"{{message}}","id":{{request.GetProperty("id").GetRawText()}}}""";

    public static string Quote(string symbol, long seq) =>
        $$"""{"type":"quote","symbol":"{{symbol}}","price":100.5,"volume":1,"timestamp":1700000000000,"seq":{{seq}}}""";

    /// <summary>Sends one frame holding <paramref name="messages"/> (a frame is always a JSON array).</summary>
    public Task SendAsync(params string[] messages) =>
        socket.SendAsync(Encoding.UTF8.GetBytes("[" + string.Join(",", messages) + "]"), WebSocketMessageType.Text, true, aborted);

    /// <summary>The client's next message that is not a ping; null once the client closed.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        while (await ReceiveTextAsync() is { } text)
        {
            var message = JsonDocument.Parse(text).RootElement;
            if (message.GetProperty("type").GetString() != "ping") return message;
        }
        return null;
    }

    /// <summary>The client's next message as sent, pings included; null once the client closed.</summary>
    public async Task<string?> ReceiveTextAsync()
    {
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(buffer, aborted);
        return result.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>Reads (and ignores) whatever the client sends until it closes.</summary>
    public async Task DrainAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }
    }

    /// <summary>Closes with <paramref name="status"/> and waits for the client's answer.</summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason) => socket.CloseAsync(status, reason, aborted);
}
