using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Quotes.Host.Facade;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>The façade's page bound, however a client writes the limit: in the query or inside a cursor it made up.</summary>
public sealed class PageCapSpecs
{
    [Theory]
    [InlineData("50000", "5000")]
    [InlineData("+50000", "5000")]
    [InlineData("0050000", "5000")]
    [InlineData("5e4", "5000")]
    [InlineData("50000.0", "5000")]
    [InlineData("99999999999999999999", "5000")]
    [InlineData("Infinity", "5000")]
    [InlineData("5000", "5000")]
    [InlineData("7", "7")]
    [InlineData("0", "0")]
    [InlineData("-1", "-1")]
    [InlineData("abc", "abc")]
    [InlineData("NaN", "NaN")]
    [InlineData("", "")]
    public void A_limit_above_the_page_is_lowered_and_anything_else_is_the_providers_to_judge(string limit, string relayed) =>
        Assert.Equal(relayed, PageCap.Apply("limit", limit, 5000));

    private static string Decoded(string cursor) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')));

    [Fact]
    public void A_cursor_asking_for_more_is_lowered_in_the_form_it_was_written()
    {
        // The simulator's form (base64url, no padding) and a standard one with padding (Polygon's).
        var simulator = Convert.ToBase64String(Encoding.UTF8.GetBytes("offset=0&limit=50000&sort=asc")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var standard = Convert.ToBase64String(Encoding.UTF8.GetBytes("limit=50000&sort=asc&x=a/b"));

        var fromSimulator = PageCap.Apply("cursor", simulator, 5000);
        var fromStandard = PageCap.Apply("cursor", standard, 5000);

        Assert.Equal("5000", QueryHelpers.ParseQuery(Decoded(fromSimulator))["limit"].ToString());
        Assert.Equal("0", QueryHelpers.ParseQuery(Decoded(fromSimulator))["offset"].ToString());
        Assert.DoesNotContain('=', fromSimulator);
        var query = QueryHelpers.ParseQuery(Decoded(fromStandard));
        Assert.Equal(("5000", "asc", "a/b"), (query["limit"].ToString(), query["sort"].ToString(), query["x"].ToString()));
        Assert.NotEmpty(Convert.FromBase64String(fromStandard)); // standard, padded base64, as it came
    }

    [Theory]
    [InlineData("b2Zmc2V0PTUwMDAmbGltaXQ9NTAwMA")] // offset=5000&limit=5000: within the page
    [InlineData("b2Zmc2V0PTA")] // offset=0: no limit
    [InlineData("not base64 at all!")]
    [InlineData("")]
    public void A_cursor_within_the_page_or_not_a_query_is_relayed_as_given(string cursor) =>
        Assert.Equal(cursor, PageCap.Apply("cursor", cursor, 5000));

    [Fact]
    public void Other_parameters_are_never_touched() => Assert.Equal("50000", PageCap.Apply("strike_price", "50000", 5000));
}
