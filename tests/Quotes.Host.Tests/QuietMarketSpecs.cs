using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// When nothing trades (a closed market, or a symbol without an aggregate yet), a new subscription still gets a price: the
/// provider's snapshot of the day, as its first quote.
/// </summary>
public sealed class QuietMarketSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    // One aggregate a hundred seconds at most: within a spec, nothing trades.
    public async Task InitializeAsync() =>
        _server = await QuotesServer.StartAsync(simulatorOptions: new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 0.01 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_symbol_subscribed_when_nothing_trades_gets_the_providers_snapshot_as_its_first_quote()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["KO"]}""");

        var quote = await client.ExpectAsync(m => TestSocket.IsQuote(m, "KO"));

        var walk = _server.Simulator!.Market.Walk("KO");
        Assert.Equal(walk.Price, quote.GetProperty("price").GetDecimal());
        Assert.True(quote.TryGetProperty("previousClose", out var previousClose), $"no previous close in the first quote: {quote}");
        Assert.Equal(walk.PreviousClose, previousClose.GetDecimal());
        Assert.True(quote.GetProperty("snapshot").GetBoolean());
        Assert.False(quote.TryGetProperty("barOpen", out _), "no aggregate made it");
    }
}
