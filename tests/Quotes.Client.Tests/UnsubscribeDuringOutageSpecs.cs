using System.Threading.Channels;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>An unsubscribe made while the host is down, and timed out: the symbol stays released when the host is back.</summary>
public sealed class UnsubscribeDuringOutageSpecs
{
    [Fact]
    public async Task Should_not_subscribe_again_to_a_symbol_released_during_an_outage()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var host = await TestHost.StartAsync();
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = host.SocketUrl,
            ApiKey = TestHost.ClientKey,
            MinReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            RequestTimeout = TimeSpan.FromSeconds(2), // shorter than the outage
        });
        var states = Channel.CreateUnbounded<ConnectionStateChangedEventArgs>();
        client.StateChanged += (_, change) => states.Writer.TryWrite(change);
        await client.ConnectAsync(ct);
        await client.SubscribeAsync(["AAPL", "MSFT"], ct);

        await host.StopAsync();
        await NextAsync(states.Reader, s => s.State == ConnectionState.Reconnecting, ct);
        await Assert.ThrowsAsync<TimeoutException>(() => client.UnsubscribeAsync(["msft"], ct));
        Assert.Equal(["AAPL"], client.Subscriptions); // released at once: the caller asked for it
        Assert.False(client.TryGetQuote("MSFT", out _));

        // Read from before the host is back: the resubscribe's snapshots come right after its answer.
        await using var quotes = client.ReadQuotesAsync(ct).GetAsyncEnumerator(ct);
        var next = quotes.MoveNextAsync();
        await host.StartAgainAsync();
        await NextAsync(states.Reader, s => s.State == ConnectionState.Open, ct);
        await client.SubscribeAsync(["NVDA"], ct); // sent after the resubscribe, so its quotes come after any MSFT one would

        var seen = new HashSet<string>();
        while (true)
        {
            Assert.True(await next);
            seen.Add(quotes.Current.Symbol);
            if (seen.Contains("AAPL") && seen.Contains("NVDA")) break;
            next = quotes.MoveNextAsync();
        }
        Assert.DoesNotContain("MSFT", seen);
        Assert.Equal(["AAPL", "NVDA"], client.Subscriptions);
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
