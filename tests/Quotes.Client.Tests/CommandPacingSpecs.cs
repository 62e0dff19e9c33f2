using System.Collections.Concurrent;
using System.Diagnostics;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>
/// The client keeps its commands within the server's budget (20 a second, bursts of 40 unless its welcome announces
/// another: past it <c>RATE_LIMITED</c>, and 1008 for a connection that goes on): three quarters of it
/// (<see cref="CommandBudget"/>), in order. A bot that fires off many requests at once gets every answer instead of
/// refusals and a closed connection.
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
        AssertWithin(CommandBudget.Default, arrivals.Select(a => a.At).ToList());
    }

    [Fact]
    public async Task Should_pace_under_the_budget_the_welcome_announced()
    {
        // A server announcing 4 a second and bursts of 8 (an operator lowered them): 6 at once, then 3 a second.
        var arrivals = await ArrivalsAsync(commandsPerSecond: 4, commandBurst: 8, requests: 12);

        Assert.Equal(12, arrivals.Count);
        AssertWithin(new CommandBudget(3, 6), arrivals);
    }

    [Fact]
    public async Task Should_send_a_larger_announced_burst_at_once()
    {
        // A server announcing bursts of 400 (an operator raised it): 300 go out at once, not 30 and then 15 a second, which
        // would take the 300th 18 s.
        var arrivals = await ArrivalsAsync(commandsPerSecond: 20, commandBurst: 400, requests: 300);

        Assert.Equal(300, arrivals.Count);
        Assert.True(arrivals[^1] < TimeSpan.FromSeconds(9), $"the 300th arrived at {arrivals[^1].TotalSeconds:F1} s");
    }

    /// <summary>
    /// When each of <paramref name="requests"/> subscribes made at once reached a scripted server whose welcome announced
    /// the given budget, counted from the moment they were made.
    /// </summary>
    private static async Task<List<TimeSpan>> ArrivalsAsync(double commandsPerSecond, int commandBurst, int requests)
    {
        var arrivals = new List<TimeSpan>();
        var clock = new Stopwatch();
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number, commandsPerSecond, commandBurst));
            while (await connection.ReceiveAsync() is { } request)
            {
                lock (arrivals) arrivals.Add(clock.Elapsed);
                await connection.SendAsync(ScriptedConnection.Subscribed(request));
            }
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url, ApiKey = "any-key-0001", RequestTimeout = TimeSpan.FromSeconds(60),
        });
        await client.ConnectAsync();

        clock.Start();
        await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => client.SubscribeAsync(["AAPL"])));
        lock (arrivals) return [.. arrivals];
    }

    [Fact]
    public async Task Should_have_every_request_answered_by_a_server_whose_budget_was_lowered()
    {
        // The server's own budget set to 1 a second, bursts of 5: the client's default pace (30 at once) would be refused.
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Quotes:CommandsPerSecond"] = "1",
            ["Quotes:CommandBurst"] = "5",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var client = host.CreateClient();
        var errors = new List<QuotesClientException>();
        client.Error += (_, e) => { lock (errors) errors.Add(e); };
        await client.ConnectAsync(timeout.Token);
        Assert.Equal((1.0, 5), (client.Session!.CommandsPerSecond, client.Session.CommandBurst));

        await Task.WhenAll(new[] { "AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "META", "GOOGL" }.Select(s => client.SubscribeAsync([s], timeout.Token)));

        Assert.Empty(errors);
        Assert.Equal(7, client.Subscriptions.Count);
        Assert.Equal(1, client.Connections);
    }

    [Theory]
    [InlineData(20.0, 40, 15.0, 30)]
    [InlineData(1.0, 5, 0.75, 3)]
    [InlineData(1.0, 1, 0.75, 1)]
    [InlineData(null, null, 15.0, 30)]
    [InlineData(0.0, 0, 15.0, 30)]
    [InlineData(double.NaN, -3, 15.0, 30)]
    [InlineData(double.PositiveInfinity, 8, 15.0, 6)]
    public void Should_pace_at_three_quarters_of_what_the_welcome_announced_and_the_default_for_what_makes_no_sense(
        double? perSecond, int? burst, double pace, int paceBurst) =>
        Assert.Equal(new CommandBudget(pace, paceBurst), CommandBudget.Under(perSecond, burst));

    /// <summary>
    /// Never ahead of a bucket of <paramref name="budget"/> (50 ms of slack for timers firing early); a slow machine only
    /// sends later, which this allows.
    /// </summary>
    private static void AssertWithin(CommandBudget budget, List<TimeSpan> arrivals)
    {
        for (var i = 0; i < arrivals.Count; i++)
        {
            var allowed = budget.Burst + budget.PerSecond * (arrivals[i].TotalSeconds + 0.05);
            Assert.True(i + 1 <= allowed, $"command {i + 1} arrived at {arrivals[i].TotalMilliseconds:F0} ms, past the budget ({allowed:F1} by then)");
        }
    }

    [Fact]
    public async Task Should_never_send_a_subscribe_whose_caller_gave_up_while_it_waited_its_turn()
    {
        var received = new ConcurrentQueue<string>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync(async connection =>
        {
            await connection.SendAsync(ScriptedConnection.Welcome(connection.Number));
            while (await connection.ReceiveAsync() is { } request)
            {
                var symbol = request.GetProperty("symbols")[0].GetString()!;
                received.Enqueue(symbol);
                await connection.SendAsync(ScriptedConnection.Subscribed(request));
                if (symbol == "LAST") last.TrySetResult();
            }
        });
        await using var client = new QuotesClient(new QuotesClientOptions
        {
            Url = server.Url, ApiKey = "any-key-0001", RequestTimeout = TimeSpan.FromSeconds(2),
        });
        await client.ConnectAsync();

        // 90 at once: 30 go out at once, about 30 more within the 2 s; the callers of the rest give up while they wait.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 90).Select(async i =>
        {
            var symbol = $"T{i:000}";
            try
            {
                await client.SubscribeAsync([symbol]);
                return (Symbol: symbol, GaveUp: false);
            }
            catch (TimeoutException)
            {
                return (Symbol: symbol, GaveUp: true);
            }
        }));
        // Made after every one of them was answered or given up on, so it is sent behind them: once the server has it,
        // every earlier one was sent or dropped.
        _ = client.SubscribeAsync(["LAST"]).ContinueWith(t => t.Exception, TaskScheduler.Default);
        await last.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The last 20 had their turn 2.7 s or more after they were made (30 at once, then 15 a second: the scripted welcome
        // announces no budget), past their callers'
        // 2 s: given up, and never sent. (One whose turn came just before its caller gave up may have been sent and its
        // answer come too late: that is no waste the client could have known of.)
        var late = outcomes.Skip(70).ToList();
        Assert.All(late, o => Assert.True(o.GaveUp, $"{o.Symbol} was answered"));
        Assert.Empty(late.Select(o => o.Symbol).Intersect(received));
    }
}
