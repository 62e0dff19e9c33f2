using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public class StatusWatchersSpecs
{
    private static readonly DateTime T0 = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_watcher_is_heard_while_its_lease_runs_and_renewing_extends_it()
    {
        var watchers = new StatusWatchers<string>(TimeSpan.FromSeconds(8));
        watchers.Watch("hub-a", T0);
        watchers.Watch("hub-b", T0);
        watchers.Watch("hub-b", T0.AddSeconds(5));

        watchers.Prune(T0.AddSeconds(10));

        Assert.Equal(["hub-b"], watchers.All);
        watchers.Prune(T0.AddSeconds(14));
        Assert.Empty(watchers.All);
    }

    [Fact]
    public void A_state_or_a_change_of_simulated_is_news_once()
    {
        var watchers = new StatusWatchers<string>(TimeSpan.FromSeconds(8));

        Assert.True(watchers.Announce("connecting", false));
        Assert.False(watchers.Announce("connecting", false));
        Assert.True(watchers.Announce("connected", false));
        Assert.True(watchers.Announce("connected", true));
        Assert.False(watchers.Announce("connected", true));
        Assert.True(watchers.Announce("stale", true));
    }
}
