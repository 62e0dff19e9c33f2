using System.Threading.Channels;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>The keep-alive on a real socket: a silent link is pinged, and replaced when the ping goes unanswered.</summary>
public sealed class KeepAliveConnectionSpecs
{
    [Fact]
    public async Task Should_ping_a_silent_link_and_replace_it_when_nothing_answers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // A link gone silent, as behind a stalled proxy: welcome, then never a word; every connection and message is told.
        var events = Channel.CreateUnbounded<string>();
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            events.Writer.TryWrite("connected");
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            while (await connection.ReceiveTextAsync() is { } text) events.Writer.TryWrite(text);
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url,
            ApiKey = "test-client-key-0001",
            PingInterval = TimeSpan.FromMilliseconds(300),
            PingTimeout = TimeSpan.FromMilliseconds(300),
            MinReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        var replaced = new TaskCompletionSource<ConnectionStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) => { if (e.State == ConnectionState.Reconnecting) replaced.TrySetResult(e); };

        await client.ConnectAsync(timeout.Token);

        Assert.Equal("connected", await events.Reader.ReadAsync(timeout.Token));
        Assert.Equal("""{"type":"ping"}""", await events.Reader.ReadAsync(timeout.Token));
        var change = await replaced.Task.WaitAsync(timeout.Token);
        Assert.Null(change.CloseStatus); // dropped by the client, not closed by the server
        Assert.IsType<TimeoutException>(change.Error);
        Assert.Equal("connected", await NextConnectionAsync(events.Reader, timeout.Token));
    }

    private static async Task<string> NextConnectionAsync(ChannelReader<string> events, CancellationToken ct)
    {
        while (true)
            if (await events.ReadAsync(ct) is "connected" and var found) return found;
    }
}
