using System.Text;
using Quotes.Contracts;
using Quotes.LoadTest;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>The load tool's frame scanner reads what the server really sends, and counts nothing it should not.</summary>
public sealed class FrameScannerSpecs
{
    private static byte[] Quote(string symbol, long seq, long timestamp) =>
        ServerMessageEncoder.Encode(new Quote { Symbol = symbol, Price = 101.25m, PreviousPrice = 101m, Change = 0.25m, Volume = 10, Timestamp = timestamp, Seq = seq });

    private static byte[] Frame(params byte[][] messages) => [.. "["u8, .. Join(messages), .. "]"u8];

    private static IEnumerable<byte> Join(byte[][] messages) => messages.SelectMany((m, i) => i == 0 ? m : [(byte)',', .. m]);

    [Fact]
    public void Counts_quotes_records_latency_and_gaps_per_symbol()
    {
        var histogram = new LatencyHistogram();
        var scanner = new FrameScanner(histogram);

        scanner.Scan(Frame(Quote("AAPL", 1, 1000), Quote("MSFT", 7, 1000)), nowMs: 1010, measuring: true);
        scanner.Scan(Frame(Quote("AAPL", 4, 2000), Quote("MSFT", 8, 2000)), nowMs: 2030, measuring: true);

        Assert.Equal(4, scanner.Quotes);
        Assert.Equal(2, scanner.Gaps); // AAPL 2 and 3 were never seen
        Assert.Equal(0, scanner.Errors);
        Assert.Equal(10, histogram.Percentile(50));
        Assert.Equal(30, histogram.Max);
    }

    [Fact]
    public void Skips_other_messages_nested_values_and_escapes_and_counts_errors()
    {
        var scanner = new FrameScanner(new LatencyHistogram());
        var subscribed = ServerMessageEncoder.Encode(new ServerMessages.Subscribed(["AAPL", "MSFT"], 2, 50, null));
        var error = ServerMessageEncoder.Encode(new ServerMessages.Error(ErrorCodes.InvalidSymbol, "a \"quoted\" } ] , {\"type\":\"quote\"}"));
        var spaced = Encoding.UTF8.GetBytes(""" [ { "type" : "quote" , "symbol" : "TSLA" , "seq" : 3 , "timestamp" : 5 , "extra" : { "a" : [1, "]"] } } ] """);

        scanner.Scan(Frame(subscribed, error, Quote("AAPL", 1, 0)), nowMs: 0, measuring: true);
        scanner.Scan(spaced, nowMs: 5, measuring: true);

        Assert.Equal(2, scanner.Quotes);
        Assert.Equal(1, scanner.Errors);
    }

    [Fact]
    public void Counts_nothing_before_measuring_but_remembers_seq()
    {
        var scanner = new FrameScanner(new LatencyHistogram());
        scanner.Scan(Frame(Quote("AAPL", 1, 0)), 0, measuring: false);
        scanner.Scan(Frame(Quote("AAPL", 2, 0)), 0, measuring: true);
        Assert.Equal(1, scanner.Quotes);
        Assert.Equal(0, scanner.Gaps);
    }

    [Theory]
    [InlineData("""[{"type":"quote","symbol":"AAPL","seq":1,"timestamp":1}""")]
    [InlineData("""[{"type":"quote","symbol":"AAPL","seq":x,"timestamp":1}]""")]
    [InlineData("""{"type":"quote"}""")]
    [InlineData("""[{"type":"quote","symbol":"AAPL]""")]
    [InlineData("""[{"type":"quote","extra":[1,2}]""")]
    public void A_malformed_frame_is_an_error(string frame)
    {
        var scanner = new FrameScanner(new LatencyHistogram());
        scanner.Scan(Encoding.UTF8.GetBytes(frame), 0, measuring: true);
        Assert.Equal(1, scanner.Errors);
    }
}
