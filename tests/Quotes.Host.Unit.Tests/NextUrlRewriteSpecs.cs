using System.Text;
using System.Text.Json;
using Quotes.Host.Facade;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>
/// The façade's cache entry of a provider's answer: the root's <c>next_url</c> made ours, every other byte as the
/// provider sent it, whatever comes before and after it (nested <c>next_url</c>s, escapes, a large results array).
/// </summary>
public sealed class NextUrlRewriteSpecs
{
    private const string OurBase = "https://quotes.example.com/polygon";

    private static string NextUrlOf(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("next_url").GetString()!;
    }

    [Fact]
    public void The_roots_next_url_points_at_our_path_and_the_rest_is_untouched()
    {
        const string Body = """{"results":[{"next_url":"https://elsewhere/x","t":"a\"b","n":"𝄞é"}],"status":"OK","next_url":"https:\/\/api.polygon.io\/v3\/reference\/tickers?cursor=YWJj\u0026x=1","count":1}""";

        var served = PolygonRestFacade.Served(PolygonRestFacade.RewriteNextUrl(Body), OurBase);

        Assert.Equal(OurBase + "/v3/reference/tickers?cursor=YWJj&x=1", NextUrlOf(served));
        using var doc = JsonDocument.Parse(served);
        Assert.Equal("https://elsewhere/x", doc.RootElement.GetProperty("results")[0].GetProperty("next_url").GetString());
        Assert.Equal("a\"b", doc.RootElement.GetProperty("results")[0].GetProperty("t").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("𝄞é", doc.RootElement.GetProperty("results")[0].GetProperty("n").GetString()); // a surrogate pair before it
        Assert.StartsWith("""{"results":[{"next_url":"https://elsewhere/x","t":"a\"b","n":"𝄞é"}],"status":"OK","next_url":""", served);
    }

    [Fact]
    public void A_large_answer_keeps_every_bar_and_its_multi_byte_text()
    {
        var bars = string.Join(",", Enumerable.Range(0, 50_000).Select(i => $$"""{"o":{{i}},"n":"é€"}"""));
        var body = $$"""{"ticker":"AAPL","results":[{{bars}}],"next_url":"https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/minute/1/2?cursor=Zm9v","status":"OK"}""";

        var served = PolygonRestFacade.Served(PolygonRestFacade.RewriteNextUrl(body), OurBase);

        Assert.Equal(OurBase + "/v2/aggs/ticker/AAPL/range/1/minute/1/2?cursor=Zm9v", NextUrlOf(served));
        Assert.Equal(body.Replace("https://api.polygon.io", OurBase), served);
        Assert.Equal(Encoding.UTF8.GetByteCount(body) + Encoding.UTF8.GetByteCount(OurBase) - "https://api.polygon.io".Length, Encoding.UTF8.GetByteCount(served));
    }

    [Theory]
    [InlineData("""{"status":"OK","results":[]}""")]
    [InlineData("""{"status":"OK","results":[{"next_url":"https://api.polygon.io/x?cursor=1"}]}""")]
    [InlineData("""{"status":"OK","next_url":null}""")]
    [InlineData("""{"status":"OK","next_url":"not a url"}""")]
    [InlineData("""{"status":OK,"next_url":"https://api.polygon.io/x?cursor=1"}""")]
    [InlineData("""["next_url"]""")]
    public void Without_a_roots_next_url_to_rewrite_the_answer_is_relayed_as_it_came(string body) =>
        Assert.Equal(body, PolygonRestFacade.Served(PolygonRestFacade.RewriteNextUrl(body), OurBase));
}
