using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// The node's hub is no single point of failure: when it throws and restarts empty, every session registers again and
/// keeps streaming. Real Kestrel, real sockets on both endpoints, the simulator as upstream.
/// </summary>
public sealed class HubRestartSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static bool IsAggregate(JsonElement m, string symbol) => m.GetProperty("ev").GetString() == "A" && m.GetProperty("sym").GetString() == symbol;

    [Fact]
    public async Task Clients_of_both_endpoints_keep_streaming_after_the_hub_throws()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL","MSFT"]}""");
        var before = await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL") && !m.TryGetProperty("snapshot", out _));
        await using var polygon = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await polygon.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await polygon.SendAsync("""{"action":"subscribe","params":"A.AAPL"}""");
        await polygon.ExpectAsync(m => IsAggregate(m, "AAPL"));

        // A message the hub cannot handle (no session) throws inside it; its supervisor restarts it empty.
        var hub = _server.Services.GetRequiredService<ActorRegistry>().Get<NodeHub>();
        hub.Tell(new HubProtocol.Subscribe(null!, ["AAPL"]));
        await Eventually.HoldsAsync(() => Assert.Contains(_server.Logs.Lines, l => l.Contains("asked to register again")),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        // Both clients stream on: quotes with seq above what they had, aggregates on the façade.
        var (quotesFrom, aggregatesFrom) = (client.Received.Count, polygon.Received.Count);
        foreach (var symbol in new[] { "AAPL", "MSFT" })
            await client.ExpectAsync(m => TestSocket.IsQuote(m, symbol) && !m.TryGetProperty("snapshot", out _), from: quotesFrom);
        var after = await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL") && !m.TryGetProperty("snapshot", out _), from: quotesFrom);
        Assert.True(after.GetProperty("seq").GetInt64() > before.GetProperty("seq").GetInt64());
        await polygon.ExpectAsync(m => IsAggregate(m, "AAPL"), from: aggregatesFrom);
        var report = await hub.Ask<HubProtocol.Report>(HubProtocol.GetReport.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal((2, 2), (report.Sessions, report.Symbols));
    }
}
