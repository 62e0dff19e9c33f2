using Quotes.Actors;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>An unauthenticated façade socket holds its pre-auth slot at most 5 s: longer is refused at start.</summary>
public sealed class FacadeAuthTimeoutSpecs
{
    [Fact]
    public void The_default_auth_timeout_is_at_most_5_seconds() =>
        Assert.InRange(new QuotesOptions().FacadeAuthTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5));

    [Fact]
    public async Task A_node_configured_with_a_longer_auth_timeout_stops_at_start_with_a_clear_error()
    {
        var error = await HostComposition.StartFailsAsync(new Dictionary<string, string?>
        {
            ["Quotes:FacadeAuthTimeout"] = "00:00:10",
        });
        Assert.Contains("Quotes:FacadeAuthTimeout", error.Message);
    }
}
