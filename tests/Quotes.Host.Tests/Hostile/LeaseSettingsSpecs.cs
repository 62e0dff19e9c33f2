using Quotes.Actors;
using Quotes.Host.Composition;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// An interest lease must outlive a missed renewal (<c>Quotes:LeaseDuration</c> more than twice <c>Quotes:RenewInterval</c>):
/// otherwise one late renewal drops a watched symbol. A node configured otherwise stops at start, naming both settings.
/// </summary>
public sealed class LeaseSettingsSpecs
{
    [Fact]
    public void The_default_lease_outlives_a_missed_renewal() => Assert.Empty(QuotesOptionsChecks.Problems(new QuotesOptions()));

    [Theory]
    [InlineData("00:00:02", "00:00:04")]
    [InlineData("00:00:05", "00:00:03")]
    public async Task A_lease_of_at_most_two_renewals_stops_the_node_at_start(string renew, string lease)
    {
        var error = await HostComposition.StartFailsAsync(new Dictionary<string, string?>
        {
            ["Quotes:RenewInterval"] = renew,
            ["Quotes:LeaseDuration"] = lease,
        });
        Assert.Contains("Quotes:LeaseDuration must be more than twice Quotes:RenewInterval", error.Message);
    }
}
