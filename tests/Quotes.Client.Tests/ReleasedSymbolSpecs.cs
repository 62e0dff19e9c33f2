using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>A symbol the caller released is not the caller's any more, whatever the server still sends for it.</summary>
public sealed class ReleasedSymbolSpecs
{
    [Fact]
    public async Task Should_drop_the_quotes_of_a_released_symbol_the_server_keeps_streaming()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            var subscribe = (await connection.ReceiveAsync())!.Value;
            await connection.SendAsync(ScriptedConnection.Subscribed(subscribe), ScriptedConnection.Quote("AAPL", 1), ScriptedConnection.Quote("MSFT", 1));
            // The release is refused, so the server goes on streaming MSFT: its next quote comes before AAPL's.
            var unsubscribe = (await connection.ReceiveAsync())!.Value;
            await connection.SendAsync(ScriptedConnection.Error(ErrorCodes.RateLimited, "too many commands", unsubscribe),
                ScriptedConnection.Quote("MSFT", 2), ScriptedConnection.Quote("AAPL", 2));
            await connection.DrainAsync();
        });
        await using var client = new QuotesClient(new QuotesClientOptions { Url = server.Url, ApiKey = TestHost.ClientKey });
        await client.ConnectAsync(ct);
        await using var quotes = client.ReadQuotesAsync(ct).GetAsyncEnumerator(ct);
        var first = quotes.MoveNextAsync();
        await client.SubscribeAsync(["AAPL", "MSFT"], ct);
        Assert.True(await first);
        Assert.True(await quotes.MoveNextAsync());
        Assert.Equal(("MSFT", 1L), (quotes.Current.Symbol, quotes.Current.Seq));

        var refused = await Assert.ThrowsAsync<QuotesClientException>(() => client.UnsubscribeAsync(["MSFT"], ct));
        Assert.Equal(ErrorCodes.RateLimited, refused.Code);

        Assert.True(await quotes.MoveNextAsync());
        Assert.Equal(("AAPL", 2L), (quotes.Current.Symbol, quotes.Current.Seq));
        Assert.False(client.TryGetQuote("MSFT", out _));
        Assert.Equal(["AAPL"], client.Subscriptions);
    }
}
