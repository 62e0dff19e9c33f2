using Quotes.Testing;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>Connecting to a server that is not there: the client keeps trying with backoff until the caller gives up.</summary>
public sealed class ConnectSpecs
{
    [Fact]
    public async Task Should_retry_until_the_caller_cancels_then_give_up_and_cancel_waiting_requests()
    {
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = new Uri($"ws://127.0.0.1:{NodeProcess.FreePort()}/ws"),
            ApiKey = "test-client-key-0001",
            MinReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        var retries = 0;
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        client.StateChanged += (_, e) =>
        {
            if (e.State == ConnectionState.Reconnecting && Interlocked.Increment(ref retries) == 3) giveUp.Cancel(); // refused three times
        };
        using var waiting = new CancellationTokenSource();
        var request = client.SubscribeAsync(["AAPL"], waiting.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ConnectAsync(giveUp.Token));

        Assert.True(retries >= 3, $"{retries} retries"); // it kept trying (one more may start before the cancellation lands)
        Assert.Equal(ConnectionState.Disconnected, client.State);
        Assert.False(request.IsCompleted); // still waiting for a connection
        await waiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }
}
