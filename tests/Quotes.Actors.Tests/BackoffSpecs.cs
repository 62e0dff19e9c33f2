using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public class BackoffSpecs
{
    [Fact]
    public void Delays_double_from_the_minimum_up_to_the_maximum_with_jitter()
    {
        var random = new Random(1);
        var min = TimeSpan.FromMilliseconds(500);
        var max = TimeSpan.FromSeconds(30);

        Assert.InRange(Backoff.Delay(0, min, max, random).TotalMilliseconds, 250, 500);
        Assert.InRange(Backoff.Delay(1, min, max, random).TotalMilliseconds, 500, 1000);
        Assert.InRange(Backoff.Delay(3, min, max, random).TotalMilliseconds, 2000, 4000);
        Assert.InRange(Backoff.Delay(20, min, max, random).TotalMilliseconds, 15_000, 30_000);
    }
}
