using System.Text;
using System.Text.Json;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

public sealed class ServerFrameParserSpecs
{
    private static List<object> Parse(string frame) => ServerFrameParser.Parse(Encoding.UTF8.GetBytes(frame));

    [Fact]
    public void Should_read_every_message_of_a_frame_in_order()
    {
        var messages = Parse("""
            [{"type":"subscribed","symbols":["AAPL"],"count":1,"limit":50,"id":7},
             {"type":"quote","symbol":"AAPL","price":189.32,"previousPrice":null,"change":1.25,"changePercent":0.6646,"previousClose":188.07,
              "open":188.5,"high":190,"low":188,"volume":1200,"vwap":189.1,"timestamp":1764561600000,"seq":42,"snapshot":true},
             {"type":"error","code":"SYMBOL_LIMIT","message":"at most 50","symbols":["X"],"id":8}]
            """);
        Assert.Collection(messages,
            m => Assert.Equal(7, Assert.IsType<ServerMessages.Subscribed>(m).Id!.Value.GetInt64()),
            m =>
            {
                var quote = Assert.IsType<Quote>(m);
                Assert.Equal(("AAPL", 189.32m, (decimal?)null, 42L, (bool?)true), (quote.Symbol, quote.Price, quote.PreviousPrice, quote.Seq, quote.Snapshot));
            },
            m => Assert.Equal((ErrorCodes.SymbolLimit, "X"), (Assert.IsType<ServerMessages.Error>(m).Code, Assert.IsType<ServerMessages.Error>(m).Symbols![0])));
    }

    [Fact]
    public void Should_read_the_aggregates_bar_of_a_quote_and_leave_it_null_when_absent()
    {
        var messages = Parse("""
            [{"type":"quote","symbol":"AAPL","price":189.32,"volume":1200,"timestamp":1764561600000,"seq":42,
              "barOpen":189.1,"barHigh":189.4,"barLow":189.05,"barVolume":300},
             {"type":"quote","symbol":"MSFT","price":480.5,"volume":900,"timestamp":1764561600000,"seq":3,"snapshot":true}]
            """);

        var bar = Assert.IsType<Quote>(messages[0]);
        var none = Assert.IsType<Quote>(messages[1]);
        Assert.Equal((189.1m, 189.4m, 189.05m, 300L), (bar.BarOpen, bar.BarHigh, bar.BarLow, bar.BarVolume));
        Assert.Equal((null, null, null, null), (none.BarOpen, none.BarHigh, none.BarLow, none.BarVolume));
    }

    [Fact]
    public void Should_read_welcome_status_and_pong()
    {
        var messages = Parse("""
            [{"type":"welcome","sessionId":"s1","maxSymbols":50,"node":"n1","protocol":1},
             {"type":"status","upstream":"connected","market":"open","feed":"simulator"},{"type":"pong","time":1}]
            """);
        Assert.Equal(("s1", (double?)null, (int?)null), (Assert.IsType<ServerMessages.Welcome>(messages[0]).SessionId,
            ((ServerMessages.Welcome)messages[0]).CommandsPerSecond, ((ServerMessages.Welcome)messages[0]).CommandBurst)); // an older server's
        var announced = Assert.IsType<ServerMessages.Welcome>(Parse("""
            [{"type":"welcome","sessionId":"s2","maxSymbols":50,"node":"n1","protocol":1,"commandsPerSecond":2.5,"commandBurst":6}]
            """)[0]);
        Assert.Equal((2.5, 6), (announced.CommandsPerSecond, announced.CommandBurst));
        Assert.Equal("simulator", Assert.IsType<ServerMessages.Status>(messages[1]).Feed);
        Assert.IsType<ServerMessages.Pong>(messages[2]);
    }

    [Fact]
    public void Should_skip_message_types_a_later_version_adds()
    {
        Assert.Single(Parse("""[{"type":"news","text":"hi"},{"type":"pong","time":1}]"""));
    }

    [Theory]
    [InlineData("""{"type":"pong","time":1}""")]
    [InlineData("""[{"time":1}]""")]
    [InlineData("""[1]""")]
    [InlineData("""[{"type":"pong",""")]
    public void Should_refuse_a_frame_that_breaks_the_protocol(string frame)
    {
        Assert.ThrowsAny<JsonException>(() => Parse(frame));
    }
}
