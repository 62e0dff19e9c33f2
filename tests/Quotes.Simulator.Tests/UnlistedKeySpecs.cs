using System.Net.WebSockets;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>
/// A simulator without a key list, over real sockets: it accepts any key, remembers only the keys of open connections,
/// and the one-connection-per-account rule still sees one account per key.
/// </summary>
public sealed class UnlistedKeySpecs : IAsyncLifetime
{
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { EventsPerSecond = 20 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private MarketSimulator Market => _simulator.Market;

    private async Task<TestSocket> AuthenticatedAsync(string key)
    {
        var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync($$"""{"action":"auth","params":"{{key}}"}""");
        await socket.ExpectAsync("status", "auth_success");
        return socket;
    }

    /// <summary>Completes once <paramref name="count"/> connections have closed and are in the report.</summary>
    private Task ClosedAsync(int count)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        Market.ConnectionClosed += _ => { if (Interlocked.Increment(ref seen) == count) closed.TrySetResult(); };
        return closed.Task.WaitAsync(TestSocket.DefaultWait);
    }

    [Fact]
    public async Task The_keys_of_open_connections_are_remembered_and_those_of_closed_ones_are_not()
    {
        const int keys = 50;
        var sockets = new List<TestSocket>();
        for (var i = 0; i < keys; i++) sockets.Add(await AuthenticatedAsync($"client-key-{i}"));
        Assert.Equal(keys, Market.UnlistedAccounts);
        var closed = ClosedAsync(keys);

        foreach (var socket in sockets) await socket.DisposeAsync();
        await closed;

        Assert.Equal(0, Market.UnlistedAccounts);
        Assert.Equal(Enumerable.Range(0, keys), Market.Report().RecentlyClosed.Select(c => c.Account ?? -1).Order()); // each its own account
    }

    [Fact]
    public async Task A_key_stays_one_account_while_any_of_its_connections_is_open()
    {
        Market.Faults.ConnectionLimit = ConnectionLimitMode.EvictOlder;
        var firstClosed = ClosedAsync(1);
        var first = await AuthenticatedAsync("client-key");
        await using var second = await AuthenticatedAsync("client-key");
        await first.ExpectAsync("status", "max_connections");
        await first.DisposeAsync();
        await firstClosed; // the key's first connection is gone, its second still open

        await using var third = await AuthenticatedAsync("client-key");

        await second.ExpectAsync("status", "max_connections");
        while (await second.ReceiveFrameAsync() is not null) { }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, second.CloseStatus);
        var open = Assert.Single(Market.Report().Connections, c => c.Authenticated);
        Assert.Equal(Market.Report().RecentlyClosed[0].Account, open.Account);
    }
}
