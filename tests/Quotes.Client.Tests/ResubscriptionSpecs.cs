using Quotes.Contracts;
using Xunit;

namespace Quotes.Client.Tests;

public sealed class ResubscriptionSpecs
{
    [Theory]
    [InlineData(ErrorCodes.Capacity)]
    [InlineData(ErrorCodes.Internal)]
    [InlineData(ErrorCodes.RateLimited)]
    public void Should_retry_a_refusal_that_may_pass_later_waiting_longer_each_time(string code)
    {
        var resubscription = new Resubscription(new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4), new Random(5)));
        double[] steps = [0.5, 1, 2, 4, 4];
        foreach (var step in steps)
            Assert.InRange(resubscription.Refused(code, TimeSpan.Zero)!.Value.TotalSeconds, step / 2, step);
    }

    [Theory]
    [InlineData(ErrorCodes.InvalidSymbol)]
    [InlineData(ErrorCodes.SymbolLimit)]
    public void Should_not_retry_a_refusal_that_would_come_again(string code)
    {
        var resubscription = new Resubscription(new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4)));
        Assert.Null(resubscription.Refused(code, TimeSpan.Zero));
    }
}
