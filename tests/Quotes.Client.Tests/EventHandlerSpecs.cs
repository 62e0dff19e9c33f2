using System.Net.WebSockets;
using System.Threading.Channels;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>A handler that throws is the application's bug: the client reports it and keeps its connection as if nothing happened.</summary>
public sealed class EventHandlerSpecs
{
    [Fact]
    public async Task Should_connect_and_come_back_after_a_host_restart_when_every_state_and_status_handler_throws()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var host = await TestHost.StartAsync();
        await using var client = host.CreateClient();
        var states = Channel.CreateUnbounded<ConnectionStateChangedEventArgs>();
        var statuses = Channel.CreateUnbounded<ServerMessages.Status>();
        client.StateChanged += (_, change) =>
        {
            states.Writer.TryWrite(change);
            throw new InvalidOperationException("a bug in the state handler");
        };
        client.StatusChanged += (_, status) =>
        {
            statuses.Writer.TryWrite(status);
            throw new InvalidOperationException("a bug in the status handler");
        };
        client.Error += (_, _) => throw new InvalidOperationException("a bug in the error handler");

        await client.ConnectAsync(ct);
        await statuses.Reader.ReadAsync(ct); // the status after the first welcome: its handler threw
        await using var quotes = client.ReadQuotesAsync(ct).GetAsyncEnumerator(ct);
        var first = quotes.MoveNextAsync();
        await client.SubscribeAsync(["AAPL"], ct);
        Assert.True(await first);

        await host.StopAsync(); // 1001
        var dropped = await NextAsync(states.Reader, s => s.State == ConnectionState.Reconnecting, ct);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, dropped.CloseStatus);
        Assert.Null(dropped.Error); // what a handler reading e.Error!.Message trips over
        var next = quotes.MoveNextAsync();
        while (next.IsCompleted)
        {
            Assert.True(await next);
            next = quotes.MoveNextAsync();
        }

        await host.StartAgainAsync();
        await NextAsync(states.Reader, s => s.State == ConnectionState.Open, ct);
        await statuses.Reader.ReadAsync(ct); // the new connection's status: its handler threw too
        Assert.True(await next); // quotes of the new connection, which subscribed again by itself
        Assert.Equal("AAPL", quotes.Current.Symbol);
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal(2, client.Connections); // one before the restart, one after: no connection was dropped for a handler
    }

    [Fact]
    public async Task Should_keep_the_connection_when_the_error_handler_throws()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            var subscribe = (await connection.ReceiveAsync())!.Value;
            await connection.SendAsync(ScriptedConnection.Subscribed(subscribe));
            await connection.SendAsync("""{"type":"error","code":"INTERNAL","message":"nobody asked"}""", ScriptedConnection.Quote("AAPL", 1));
            await connection.DrainAsync();
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url,
            ApiKey = TestHost.ClientKey,
            MinReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        var raised = new TaskCompletionSource<QuotesClientException>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Error += (_, error) =>
        {
            raised.TrySetResult(error);
            throw new InvalidOperationException("a bug in the error handler");
        };
        await using var quotes = client.ReadQuotesAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = quotes.MoveNextAsync();

        await client.ConnectAsync(timeout.Token);
        await client.SubscribeAsync(["AAPL"], timeout.Token);

        Assert.Equal(ErrorCodes.Internal, (await raised.Task.WaitAsync(timeout.Token)).Code);
        Assert.True(await first); // the quote after the error, in the same frame
        Assert.Equal("AAPL", quotes.Current.Symbol);
        Assert.Equal(1, server.Connections);
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
