using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>The client against a real host: subscribing, quotes, the symbol limit, cancellation, disposal, a wrong key.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class QuotesClientSpecs(SharedHost shared)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private TestHost Host => shared.Host;

    [Fact]
    public async Task Should_receive_quotes_of_the_symbols_it_subscribed_to()
    {
        using var timeout = new CancellationTokenSource(Budget);
        await using var client = Host.CreateClient();
        var status = new TaskCompletionSource<ServerMessages.Status>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StatusChanged += (_, s) => status.TrySetResult(s);
        await client.ConnectAsync(timeout.Token);
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal("simulator", (await status.Task.WaitAsync(timeout.Token)).Feed);

        await using var quotes = client.ReadQuotesAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = quotes.MoveNextAsync(); // reading from before the subscribe: the snapshots come right after its answer
        var subscribed = await client.SubscribeAsync([" aapl", "MSFT"], timeout.Token);
        Assert.Equal(["AAPL", "MSFT"], subscribed.Symbols);
        Assert.Equal(2, subscribed.Count);
        Assert.Equal(["AAPL", "MSFT"], client.Subscriptions);

        var seen = new HashSet<string>();
        for (var more = await first; more && seen.Count < 2; more = await quotes.MoveNextAsync())
        {
            Assert.Contains(quotes.Current.Symbol, subscribed.Symbols);
            Assert.True(quotes.Current.Price > 0);
            seen.Add(quotes.Current.Symbol);
        }
        Assert.Equal(2, seen.Count);
        Assert.True(client.TryGetQuote("aapl", out var latest));
        Assert.Equal("AAPL", latest.Symbol);

        var unsubscribed = await client.UnsubscribeAsync(["MSFT"], timeout.Token);
        Assert.Equal(1, unsubscribed.Count);
        Assert.Equal(["AAPL"], client.Subscriptions);
        Assert.False(client.TryGetQuote("MSFT", out _));
    }

    [Fact]
    public async Task Should_refuse_the_51st_symbol_with_the_protocols_SYMBOL_LIMIT()
    {
        using var timeout = new CancellationTokenSource(Budget);
        await using var client = Host.CreateClient();
        await client.ConnectAsync(timeout.Token);
        var fifty = Enumerable.Range(1, 50).Select(i => $"LIM{i:00}").ToList();
        Assert.Equal(50, (await client.SubscribeAsync(fifty, timeout.Token)).Count);

        var refused = await Assert.ThrowsAsync<QuotesClientException>(() => client.SubscribeAsync(["LIM51"], timeout.Token));

        Assert.Equal(ErrorCodes.SymbolLimit, refused.Code);
        Assert.Equal(fifty, client.Subscriptions);
        Assert.Equal(ConnectionState.Open, client.State); // an error never closes the connection
    }

    [Fact]
    public async Task Should_end_the_enumeration_when_its_token_is_cancelled()
    {
        using var timeout = new CancellationTokenSource(Budget);
        await using var client = Host.CreateClient();
        await client.ConnectAsync(timeout.Token);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var firstQuote = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var enumeration = ReadAsync();
        await client.SubscribeAsync(["AAPL"], timeout.Token);
        await firstQuote.Task.WaitAsync(timeout.Token);

        await reading.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enumeration.WaitAsync(timeout.Token));
        Assert.Equal(0, client.QuoteReaders);
        Assert.Equal(ConnectionState.Open, client.State); // only that enumeration ended
        return;

        async Task ReadAsync()
        {
            await foreach (var _ in client.ReadQuotesAsync(reading.Token)) firstQuote.TrySetResult();
        }
    }

    [Fact]
    public async Task Should_close_the_socket_normally_and_end_enumerations_when_disposed()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var client = Host.CreateClient();
        await client.ConnectAsync(timeout.Token);
        await client.SubscribeAsync(["AAPL"], timeout.Token);
        var session = "session-" + client.Session!.SessionId;
        var enumeration = CountAsync(client.ReadQuotesAsync(timeout.Token));

        await client.DisposeAsync();

        var closed = await Host.Logs.WaitForAsync(line => line.StartsWith("Client disconnected", StringComparison.Ordinal) && line.Contains(session));
        Assert.Contains("NormalClosure", closed);
        await enumeration.WaitAsync(timeout.Token); // ends, without an error
        Assert.Equal(ConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SubscribeAsync(["AAPL"], timeout.Token));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_key_with_UNAUTHORIZED_and_not_retry()
    {
        using var timeout = new CancellationTokenSource(Budget);
        await using var client = Host.CreateClient("wrong-client-key-0001");

        var refused = await Assert.ThrowsAsync<QuotesClientException>(() => client.ConnectAsync(timeout.Token));

        Assert.Equal(ErrorCodes.Unauthorized, refused.Code);
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<Quote> quotes)
    {
        var count = 0;
        await foreach (var _ in quotes) count++;
        return count;
    }
}
