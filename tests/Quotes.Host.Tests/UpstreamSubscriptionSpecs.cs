using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>What the single upstream connection is asked for, read from the simulator's own report.</summary>
public sealed class UpstreamSubscriptionSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private int SubscribeActions(string channel) => _server.Simulator!.Market.Report().Actions.Count(a => a == "subscribe " + channel);

    private IReadOnlyList<string> UpstreamChannels() => Assert.Single(_server.Simulator!.Market.Report().Connections).Channels;

    [Fact]
    public async Task Two_clients_on_the_same_symbol_cause_exactly_one_upstream_subscription()
    {
        await using var first = await _server.ConnectAsync();
        await using var second = await _server.ConnectAsync();

        await first.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await first.ExpectAsync("type", "quote");
        await second.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await second.ExpectAsync("type", "quote");
        var from = second.Received.Count;
        await second.ExpectAsync("type", "quote", from: from);

        Assert.Equal(1, SubscribeActions("A.AAPL"));
        Assert.Equal(1, _server.Simulator!.Market.Report().ConnectionsOpened);
        Assert.Equal(["A.AAPL"], UpstreamChannels());
    }

    [Fact]
    public async Task Unsubscribing_the_last_client_lets_the_upstream_subscription_go()
    {
        await using var first = await _server.ConnectAsync();
        await using var second = await _server.ConnectAsync();
        await first.SendAsync("""{"type":"subscribe","symbols":["TSLA"]}""");
        await second.SendAsync("""{"type":"subscribe","symbols":["TSLA"]}""");
        await first.ExpectAsync("type", "quote");
        await second.ExpectAsync("type", "quote");

        await first.SendAsync("""{"type":"unsubscribe","symbols":["TSLA"]}""");
        await first.ExpectAsync("type", "unsubscribed");
        var from = second.Received.Count;
        await second.ExpectAsync("type", "quote", from: from);
        Assert.Equal(["A.TSLA"], UpstreamChannels());

        await second.SendAsync("""{"type":"unsubscribe","symbols":["TSLA"]}""");
        await second.ExpectAsync("type", "unsubscribed");

        await Eventually.HoldsAsync(() => Assert.Empty(UpstreamChannels()));
        Assert.Contains("unsubscribe A.TSLA", _server.Simulator!.Market.Report().Actions);
    }

    [Fact]
    public async Task Closing_the_socket_frees_everything_the_session_held()
    {
        var client = await _server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["NVDA","AMD"]}""");
        await client.ExpectAsync("type", "quote"); // (the first may come from the provider's snapshot, before the upstream subscribed)
        await Eventually.HoldsAsync(() => Assert.Equal(["A.AMD", "A.NVDA"], UpstreamChannels().Order()));

        await client.DisposeAsync();

        await Eventually.HoldsAsync(() => Assert.Empty(UpstreamChannels()));
    }
}
