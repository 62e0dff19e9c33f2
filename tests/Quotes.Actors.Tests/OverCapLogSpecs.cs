using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class OverCapLogSpecs
{
    private static readonly DateTime T = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Each_refused_symbol_is_logged_at_most_once_per_period()
    {
        var log = new OverCapLog();

        Assert.True(log.ShouldLog("AAA", T));
        Assert.False(log.ShouldLog("AAA", T.AddSeconds(30)));
        Assert.True(log.ShouldLog("BBB", T.AddSeconds(30)));
        Assert.True(log.ShouldLog("AAA", T + OverCapLog.Every));
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public void Pruning_forgets_the_symbols_logged_a_period_ago()
    {
        var log = new OverCapLog();
        log.ShouldLog("AAA", T);
        log.ShouldLog("BBB", T.AddSeconds(30));

        log.Prune(T + OverCapLog.Every);

        Assert.Equal(1, log.Count);
        Assert.True(log.ShouldLog("AAA", T + OverCapLog.Every));
    }
}
