using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The report's connection history: how each connection ended, what it sent, and a bounded memory of closes.</summary>
public sealed class SimulatorReportSpecs : IAsyncLifetime
{
    private RunningSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = ["k"], EventsPerSecond = 20 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private async Task<(TestSocket Socket, int Id, Task<ClosedConnectionReport> Closed)> AuthenticatedAsync()
    {
        var opened = _simulator.Market.Report().Connections.Select(c => c.Id).ToHashSet();
        var socket = await TestSocket.ConnectAsync(new Uri(_simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync("""{"action":"auth","params":"k"}""");
        await socket.ExpectAsync("status", "auth_success");
        var id = Assert.Single(_simulator.Market.Report().Connections, c => !opened.Contains(c.Id)).Id;
        var closed = new TaskCompletionSource<ClosedConnectionReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        _simulator.Market.ConnectionClosed += c => { if (c.Id == id) closed.TrySetResult(c); };
        return (socket, id, closed.Task.WaitAsync(TestSocket.DefaultWait));
    }

    [Fact]
    public async Task An_open_connection_reports_when_it_opened_and_authenticated_and_what_it_sent_since()
    {
        var opened = await AuthenticatedAsync();
        await using var socket = opened.Socket;
        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL"}""");
        await socket.ExpectAsync("message", "subscribed to: A.AAPL");

        var connection = Assert.Single(_simulator.Market.Report().Connections);

        Assert.Equal(opened.Id, connection.Id);
        Assert.Equal((2, 1, 0), (connection.Actions, connection.ActionsAfterAuth, connection.Account));
        Assert.True(connection.OpenedAt <= connection.AuthenticatedAt && connection.AuthenticatedAt <= connection.LastActionAt, connection.ToString());
        Assert.Null(connection.EvictedAt);
    }

    [Fact]
    public async Task A_client_close_and_a_drop_are_told_apart()
    {
        var leaving = await AuthenticatedAsync();
        await leaving.Socket.CloseAsync();
        Assert.Equal(ConnectionEnd.ClientClosed, (await leaving.Closed).End);
        await leaving.Socket.DisposeAsync();

        var dropped = await AuthenticatedAsync();
        await using var socket = dropped.Socket;
        _simulator.Market.DropAll();
        var closed = await dropped.Closed;

        Assert.Equal(ConnectionEnd.Aborted, closed.End);
        Assert.Null(closed.EvictedAt);
        Assert.Equal([ConnectionEnd.ClientClosed, ConnectionEnd.Aborted], _simulator.Market.Report().RecentlyClosed.Select(c => c.End));
        Assert.Equal(0, _simulator.Market.Report().Evictions);
    }

    [Fact]
    public async Task A_fault_eviction_is_counted_and_told_as_one()
    {
        _simulator.Market.Faults.EvictAfterAuth = true;
        var evicted = await AuthenticatedAsync();
        await evicted.Socket.ExpectAsync("status", "max_connections");
        while (await evicted.Socket.ReceiveFrameAsync() is not null) { }
        await evicted.Socket.DisposeAsync();

        Assert.Equal(ConnectionEnd.Evicted, (await evicted.Closed).End);
        Assert.Equal(1, _simulator.Market.Report().Evictions);
    }

    [Fact]
    public async Task The_history_keeps_the_last_hundred_closes()
    {
        await using var market = new MarketSimulator(new SimulatorOptions());

        for (var id = 1; id <= 101; id++) market.RecordClosed(new ClosedConnectionReport(id, null, 0, null, null, 0, ConnectionEnd.Aborted, 0, 0, 0, null));

        Assert.Equal(Enumerable.Range(2, 100), market.Report().RecentlyClosed.Select(c => c.Id));
    }
}
