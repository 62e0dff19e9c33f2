using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>The resubscribe of a new connection, refused for a while (CAPACITY while the upstream moves): the client asks again.</summary>
public sealed class ResubscribeSpecs
{
    [Fact]
    public async Task Should_retry_a_resubscribe_refused_with_CAPACITY_on_the_same_connection_until_quotes_resume()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        var resubscribes = Channel.CreateUnbounded<JsonElement>();
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            if (connection.Number == 1)
            {
                var subscribe = (await connection.ReceiveAsync())!.Value;
                await connection.SendAsync(ScriptedConnection.Subscribed(subscribe), ScriptedConnection.Quote("AAPL", 1));
                await connection.CloseAsync(WebSocketCloseStatus.InternalServerError, "internal error");
                return;
            }
            if (connection.Number == 2)
            {
                var refused = (await connection.ReceiveAsync())!.Value;
                resubscribes.Writer.TryWrite(refused);
                await connection.SendAsync(ScriptedConnection.Error(ErrorCodes.Capacity, "cannot check the symbol budget right now; retry in a few seconds", refused));
                var again = (await connection.ReceiveAsync())!.Value;
                resubscribes.Writer.TryWrite(again);
                await connection.SendAsync(ScriptedConnection.Subscribed(again), ScriptedConnection.Quote("AAPL", 2));
            }
            await connection.DrainAsync();
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url,
            ApiKey = TestHost.ClientKey,
            MinReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        var errors = Channel.CreateUnbounded<QuotesClientException>();
        client.Error += (_, error) => errors.Writer.TryWrite(error);
        await client.ConnectAsync(ct);
        await using var quotes = client.ReadQuotesAsync(ct).GetAsyncEnumerator(ct);
        var first = quotes.MoveNextAsync();
        await client.SubscribeAsync(["AAPL"], ct);
        Assert.True(await first);
        Assert.Equal(1, quotes.Current.Seq);

        Assert.True(await quotes.MoveNextAsync()); // the quote after the retried resubscribe's answer
        Assert.Equal(2, quotes.Current.Seq);

        Assert.Equal(ErrorCodes.Capacity, (await errors.Reader.ReadAsync(ct)).Code); // reported, and retried
        foreach (var resubscribe in new[] { await resubscribes.Reader.ReadAsync(ct), await resubscribes.Reader.ReadAsync(ct) })
        {
            Assert.Equal("subscribe", resubscribe.GetProperty("type").GetString());
            Assert.Equal(["AAPL"], resubscribe.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        }
        Assert.Equal(2, server.Connections); // no reconnect was needed
        Assert.Equal(["AAPL"], client.Subscriptions);
    }

    [Fact]
    public async Task Should_resubscribe_what_fits_a_lower_symbol_cap_and_release_the_rest_with_an_error_naming_them()
    {
        // A node whose operator lowered Limits:MaxSymbolsPerConnection to 3 would refuse a resubscribe of all 5 with
        // SYMBOL_LIMIT and hold none, while the client still listed all 5 as held.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        var resubscribe = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            if (connection.Number == 1)
            {
                await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
                var subscribe = (await connection.ReceiveAsync())!.Value;
                await connection.SendAsync(ScriptedConnection.Subscribed(subscribe));
                await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going away");
                return;
            }
            await connection.SendAsync("""{"type":"welcome","sessionId":"scripted-2","maxSymbols":3,"node":"scripted","protocol":1}""");
            var again = (await connection.ReceiveAsync())!.Value;
            resubscribe.TrySetResult(again);
            await connection.SendAsync(ScriptedConnection.Subscribed(again));
            await connection.DrainAsync();
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url, ApiKey = TestHost.ClientKey, MinReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        var errors = Channel.CreateUnbounded<QuotesClientException>();
        client.Error += (_, error) => errors.Writer.TryWrite(error);
        await client.ConnectAsync(ct);
        await client.SubscribeAsync(["TSLA", "AAPL", "NVDA", "MSFT", "AMZN"], ct);

        var sent = await resubscribe.Task.WaitAsync(ct);

        Assert.Equal(["AAPL", "AMZN", "MSFT"], sent.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        var error = await errors.Reader.ReadAsync(ct);
        Assert.Equal(ErrorCodes.SymbolLimit, error.Code);
        Assert.Equal(["NVDA", "TSLA"], error.Symbols);
        Assert.Equal(["AAPL", "AMZN", "MSFT"], client.Subscriptions);
    }
}
