using System.Net.WebSockets;
using System.Threading.Channels;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>A host that stops and starts again on the same port: the client comes back by itself, with its subscriptions.</summary>
public sealed class ReconnectSpecs
{
    [Fact]
    public async Task Should_resume_the_stream_after_a_host_restart_without_the_caller_doing_anything()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var host = await TestHost.StartAsync();
        await using var client = host.CreateClient();
        var states = Channel.CreateUnbounded<ConnectionStateChangedEventArgs>();
        client.StateChanged += (_, change) => states.Writer.TryWrite(change);
        await client.ConnectAsync(ct);
        await using var quotes = client.ReadQuotesAsync(ct).GetAsyncEnumerator(ct);
        var first = quotes.MoveNextAsync();
        await client.SubscribeAsync(["AAPL", "MSFT"], ct);
        Assert.True(await first);
        var before = client.Session!.SessionId;

        await host.StopAsync(); // the host closes with 1001
        var dropped = await NextAsync(states.Reader, s => s.State == ConnectionState.Reconnecting, ct);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, dropped.CloseStatus);
        // 1001: the first step (half to all of the host's 100 ms minimum), jittered, not a growing delay.
        Assert.InRange(dropped.Delay!.Value, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));

        // The old connection is over and nothing listens: read what it delivered until the enumeration has to wait.
        var next = quotes.MoveNextAsync();
        while (next.IsCompleted)
        {
            Assert.True(await next);
            next = quotes.MoveNextAsync();
        }

        var late = client.SubscribeAsync(["NVDA"], ct); // made while disconnected: it waits for the connection

        await host.StartAgainAsync(); // a new host on the same port
        await NextAsync(states.Reader, s => s.State == ConnectionState.Open, ct);
        Assert.NotEqual(before, client.Session!.SessionId);
        Assert.Equal(3, (await late).Count); // sent after the resubscribe of AAPL and MSFT
        Assert.Equal(["AAPL", "MSFT", "NVDA"], client.Subscriptions);

        // The same enumeration goes on with quotes of the new connection, which subscribed again by itself.
        Assert.True(await next);
        Assert.Contains(quotes.Current.Symbol, new[] { "AAPL", "MSFT", "NVDA" });
        Assert.True(await quotes.MoveNextAsync());
    }

    private static async Task<ConnectionStateChangedEventArgs> NextAsync(ChannelReader<ConnectionStateChangedEventArgs> states,
        Func<ConnectionStateChangedEventArgs, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var change = await states.ReadAsync(ct);
            if (match(change)) return change;
        }
    }
}
