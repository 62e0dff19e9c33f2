using System.Text;
using System.Text.Json;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Contracts.Tests;

public class ServerMessageEncoderSpecs
{
    [Fact]
    public void Quote_carries_every_protocol_field_with_type_first()
    {
        var json = Encoding.UTF8.GetString(ServerMessageEncoder.Encode(new Quote
        {
            Symbol = "AAPL", Price = 189.32m, PreviousPrice = 189.30m, Change = 1.25m, ChangePercent = 0.665m, PreviousClose = 188.07m,
            Open = 188.5m, High = 189.9m, Low = 188.1m, Volume = 1234567, Vwap = 189.01m, Timestamp = 1732633200000, Seq = 42,
        }));

        Assert.StartsWith("{\"type\":\"quote\"", json);
        using var doc = JsonDocument.Parse(json);
        foreach (var field in new[] { "symbol", "price", "previousPrice", "change", "changePercent", "previousClose", "open", "high", "low", "volume", "vwap", "timestamp", "seq" })
            Assert.True(doc.RootElement.TryGetProperty(field, out _), field);
        Assert.False(doc.RootElement.TryGetProperty("snapshot", out _));
        foreach (var field in new[] { "barOpen", "barHigh", "barLow", "barVolume" })
            Assert.False(doc.RootElement.TryGetProperty(field, out _), $"{field} is absent on a quote not made from an aggregate");
        Assert.Equal(189.32m, doc.RootElement.GetProperty("price").GetDecimal());
    }

    [Fact]
    public void A_quote_made_from_an_aggregate_carries_its_windows_bar()
    {
        var json = Encoding.UTF8.GetString(ServerMessageEncoder.Encode(new Quote
        {
            Symbol = "AAPL", Price = 189.32m, Volume = 1234567, Timestamp = 1732633200000, Seq = 42,
            BarOpen = 189.10m, BarHigh = 189.40m, BarLow = 189.05m, BarVolume = 0,
        }));

        Assert.Contains("\"barOpen\":189.10,\"barHigh\":189.40,\"barLow\":189.05,\"barVolume\":0", json);
    }

    [Fact]
    public void Error_omits_absent_symbols_and_id()
    {
        var json = Encoding.UTF8.GetString(ServerMessageEncoder.Encode(new ServerMessages.Error(ErrorCodes.BadJson, "nope")));
        Assert.Equal("""{"type":"error","code":"BAD_JSON","message":"nope"}""", json);
    }

    [Fact]
    public void Welcome_names_protocol_version_and_limit()
    {
        var json = Encoding.UTF8.GetString(ServerMessageEncoder.Encode(new ServerMessages.Welcome("s1", 50, "node-a")));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("welcome", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("protocol").GetInt32());
        Assert.Equal(50, doc.RootElement.GetProperty("maxSymbols").GetInt32());
    }
}
