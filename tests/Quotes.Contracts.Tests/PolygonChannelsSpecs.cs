using Quotes.Contracts.Polygon;
using Xunit;

namespace Quotes.Contracts.Tests;

public class PolygonChannelsSpecs
{
    [Fact]
    public void Params_are_comma_separated_and_whitespace_tolerant()
    {
        var channels = PolygonChannels.Parse(" A.AAPL ,A.TSLA,, A.MSFT");
        Assert.Equal(["A.AAPL", "A.TSLA", "A.MSFT"], channels.Select(c => c.Text));
        Assert.Equal(["AAPL", "TSLA", "MSFT"], channels.Select(c => c.Symbol));
    }

    [Fact]
    public void The_ticker_is_split_on_the_first_dot_only() =>
        Assert.Equal("BRK.B", Assert.Single(PolygonChannels.Parse("A.BRK.B")).Symbol);

    [Theory]
    [InlineData("A.*")]       // wildcard: would subscribe the whole market upstream
    [InlineData("T.AAPL")]    // trades are not carried
    [InlineData("AM.AAPL")]   // minute aggregates are not carried
    [InlineData("AAPL")]      // no prefix
    [InlineData("A.aapl")]    // tickers are case-sensitive upper case
    [InlineData("A.")]
    [InlineData(".AAPL")]
    public void Channels_the_server_cannot_carry_are_refused(string channel) =>
        Assert.Null(Assert.Single(PolygonChannels.Parse(channel)).Symbol);

    [Fact]
    public void Status_frames_use_Polygons_exact_words() =>
        Assert.Equal("""[{"ev":"status","status":"auth_timeout","message":"No authentication request received."}]""",
            System.Text.Encoding.UTF8.GetString(PolygonStatus.AuthTimeout.EncodeFrame()));
}
