using System.Diagnostics;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>
/// The client keeps its commands within the server's budget (20 a second, bursts of 40: past it <c>RATE_LIMITED</c>, and
/// 1008 for a connection that goes on): a burst of <see cref="ServerConnection.SendBurst"/>, then
/// <see cref="ServerConnection.SendRate"/> a second, in order. A bot that fires off many requests at once gets every
/// answer instead of refusals and a closed connection.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class CommandPacingSpecs(SharedHost shared)
{
    private const int Requests = 140;

    [Fact]
    public async Task Should_have_every_one_of_140_requests_made_at_once_answered_on_one_connection()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var client = shared.Host.CreateClient();
        var errors = new List<QuotesClientException>();
        client.Error += (_, e) => { lock (errors) errors.Add(e); };
        await client.ConnectAsync(timeout.Token);

        // Subscribe and unsubscribe in turn: 140 commands handed over in one go, answered in the order they were made.
        var requests = Enumerable.Range(0, Requests).Select(i => i % 2 == 0
            ? (Task)client.SubscribeAsync(["AAPL"], timeout.Token)
            : client.UnsubscribeAsync(["AAPL"], timeout.Token)).ToList();
        await Task.WhenAll(requests);

        Assert.Empty(errors);
        Assert.Equal(1, client.Connections); // never closed for going past the budget
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Empty(client.Subscriptions); // the last request was an unsubscribe
    }

    [Fact]
    public async Task Should_send_a_burst_then_the_paced_rate_in_the_order_the_requests_were_made()
    {
        var arrivals = new List<(long Id, TimeSpan At)>();
        var clock = new Stopwatch();
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            while (await connection.ReceiveAsync() is { } request)
            {
                lock (arrivals) arrivals.Add((request.GetProperty("id").GetInt64(), clock.Elapsed));
                await connection.SendAsync(ScriptedConnection.Subscribed(request));
            }
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url, ApiKey = "any-key-0001", RequestTimeout = TimeSpan.FromSeconds(60),
        });
        await client.ConnectAsync();

        clock.Start();
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => client.SubscribeAsync(["AAPL"])));

        Assert.Equal(Requests, arrivals.Count);
        Assert.Equal(arrivals.Select(a => a.Id).Order(), arrivals.Select(a => a.Id)); // in the order they were made
        // Never ahead of a bucket of SendBurst refilled at SendRate a second (50 ms of slack for timers firing early);
        // a slow machine only sends later, which this allows.
        for (var i = 0; i < arrivals.Count; i++)
        {
            var allowed = ServerConnection.SendBurst + ServerConnection.SendRate * (arrivals[i].At.TotalSeconds + 0.05);
            Assert.True(i + 1 <= allowed, $"command {i + 1} arrived at {arrivals[i].At.TotalMilliseconds:F0} ms, past the budget ({allowed:F1} by then)");
        }
    }
}
