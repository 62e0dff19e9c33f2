using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>In load-test mode an aggregate's window ends when its frame is sent, not when it was generated.</summary>
public sealed class StampSendTimeSpecs
{
    [Fact]
    public async Task Stamped_aggregates_end_at_their_send_time_so_a_send_delay_is_not_counted()
    {
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = ["k"], EventsPerSecond = 5, StampSendTime = true });
        simulator.Market.Faults.FrameDelay = TimeSpan.FromSeconds(1); // every frame waits a second before it is written
        await using var socket = await TestSocket.ConnectAsync(new Uri(simulator.WebSocketUrl, "stocks"));
        await socket.SendAsync("""{"action":"auth","params":"k"}""");
        await socket.ExpectAsync("status", "auth_success", TimeSpan.FromSeconds(30));
        var subscribedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await socket.SendAsync("""{"action":"subscribe","params":"A.AAPL"}""");

        var aggregate = await socket.ExpectAsync(m => m.GetProperty("ev").GetString() == "A", TimeSpan.FromSeconds(30));

        // Generated at a tick after the subscribe, then held a second: stamped at sending, so at least a second later.
        Assert.True(aggregate.GetProperty("e").GetInt64() >= subscribedAt + 1000);
        Assert.Equal(1000, aggregate.GetProperty("e").GetInt64() - aggregate.GetProperty("s").GetInt64());
    }
}
