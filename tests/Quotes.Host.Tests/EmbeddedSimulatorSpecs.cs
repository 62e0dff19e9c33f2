using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>With no Polygon key and no URL, the host feeds itself from the in-process simulator: `dotnet run` just works.</summary>
public sealed class EmbeddedSimulatorSpecs
{
    [Fact]
    public async Task Without_a_Polygon_key_the_embedded_simulator_feeds_quotes()
    {
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?>());
        Assert.NotNull(server.Simulator);

        await using var client = await server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        var quote = await client.ExpectAsync("type", "quote");

        Assert.Equal(server.Simulator!.Market.Walk("AAPL").PreviousClose, quote.GetProperty("previousClose").GetDecimal());
        Assert.Equal(UpstreamStates.Connected, client.Received.First(m => m.GetProperty("type").GetString() == "status").GetProperty("upstream").GetString());
    }
}
