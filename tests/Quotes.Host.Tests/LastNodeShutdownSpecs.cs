using Akka;
using Akka.Actor;
using Akka.Hosting;
using Quotes.Actors.Messages;
using Quotes.Actors.Symbols;
using Quotes.Testing;
using Serilog.Events;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// The cluster's last node stops without waiting out sharding's hand-off, which has nowhere to go: sharding's graceful
/// shutdown of a region waits for a home for every message it holds, and with no other member none comes.
/// </summary>
public sealed class LastNodeShutdownSpecs
{
    [Fact]
    public async Task The_last_node_does_not_wait_for_shard_homes_nobody_can_give()
    {
        // What a busy node meets by chance (an aggregate, a subscription just made, for a symbol whose shard has no home
        // yet) comes here at a set moment: a message for a new symbol reaches the region as sharding starts its shutdown.
        var server = await QuotesServer.StartAsync(akka: akka => akka.WithActors((system, registry) =>
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseClusterShardingShutdownRegion, "spec-late-message", () =>
            {
                registry.Get<SymbolActor>().Tell(new SymbolProtocol.GetQuote("LATE"));
                return Task.FromResult(Done.Instance);
            })));
        var logs = server.Logs;
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("""{"type":"subscribe","symbols":["AAPL","MSFT","NVDA"]}""");
            await client.ExpectAsync(m => TestSocket.IsQuote(m, "NVDA"));
        }

        await server.DisposeAsync();

        Assert.DoesNotContain(logs.At(LogEventLevel.Warning), line => line.Contains("Graceful shutdown of shard region timed out"));
        var lines = logs.Lines.ToList();
        var lastNode = lines.FindIndex(line => line.Contains("Last node of the cluster: closing the upstream"));
        Assert.True(lastNode >= 0, "the node did not know it was the last one");
        Assert.Contains(lines.Skip(lastNode), line => line.Contains("Handing the upstream over: closing the connection first"));
    }
}
