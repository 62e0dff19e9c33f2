using System.Net.WebSockets;
using Quotes.Actors.Upstream;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class ReconnectPolicySpecs
{
    private static readonly QuotesOptions Settings = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(500), MaxBackoff = TimeSpan.FromSeconds(30), EvictionCooldown = TimeSpan.FromSeconds(60),
        AuthRetry = TimeSpan.FromSeconds(60), EvictionWindow = TimeSpan.FromSeconds(5),
    };

    private static readonly DateTime Start = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Drops_back_off_exponentially_and_start_over_only_after_a_healthy_connection()
    {
        var policy = new ReconnectPolicy(Settings, tookOver: false, Start, new Random(1));

        Assert.InRange(policy.AfterDrop().TotalMilliseconds, 250, 500);
        Assert.InRange(policy.AfterDrop().TotalMilliseconds, 500, 1000);
        Assert.InRange(policy.AfterDrop().TotalMilliseconds, 1000, 2000);
        Assert.Equal(3, policy.Attempt);

        policy.Healthy();

        Assert.Equal(0, policy.Attempt);
        Assert.InRange(policy.AfterDrop().TotalMilliseconds, 250, 500);
        Assert.Equal(4, policy.RecentDelays.Count);
    }

    [Fact]
    public void An_eviction_waits_the_cooldown_and_counts_as_an_attempt()
    {
        var policy = new ReconnectPolicy(Settings, tookOver: false, Start);

        Assert.Equal(Settings.EvictionCooldown, policy.AfterEviction(Start.AddSeconds(1), out var takeover));
        Assert.False(takeover);
        Assert.Equal(1, policy.Attempt);
        Assert.Equal([Settings.EvictionCooldown], policy.RecentDelays);
    }

    [Fact]
    public void A_holder_that_took_over_retries_an_eviction_soon_within_its_first_cooldown_only()
    {
        var policy = new ReconnectPolicy(Settings, tookOver: true, Start);

        Assert.Equal(ReconnectPolicy.TakeoverRetry, policy.AfterEviction(Start.AddSeconds(10), out var early));
        Assert.True(early);
        Assert.Equal(Settings.EvictionCooldown, policy.AfterEviction(Start + Settings.EvictionCooldown, out var later));
        Assert.False(later);
    }

    [Fact]
    public void A_refusal_waits_the_slow_retry_and_is_not_an_attempt()
    {
        var policy = new ReconnectPolicy(Settings, tookOver: false, Start);

        Assert.Equal(Settings.AuthRetry, policy.AfterRefusal());
        Assert.Equal(0, policy.Attempt);
        Assert.Empty(policy.RecentDelays);
    }

    [Fact]
    public void Only_a_close_handshake_soon_after_auth_success_is_a_silent_eviction()
    {
        var policy = new ReconnectPolicy(Settings, tookOver: false, Start);

        Assert.True(policy.IsSilentEviction(WebSocketCloseStatus.PolicyViolation, Start, Start.AddSeconds(1)));
        Assert.False(policy.IsSilentEviction(null, Start, Start.AddSeconds(1)));
        Assert.False(policy.IsSilentEviction(WebSocketCloseStatus.NormalClosure, Start, Start + Settings.EvictionWindow));
    }

    [Fact]
    public void Only_the_last_delays_are_kept()
    {
        var policy = new ReconnectPolicy(Settings, tookOver: false, Start);

        for (var i = 0; i < ReconnectPolicy.Kept + 5; i++) policy.AfterDrop();

        Assert.Equal(ReconnectPolicy.Kept, policy.RecentDelays.Count);
        Assert.InRange(policy.RecentDelays[^1], Settings.MaxBackoff / 2, Settings.MaxBackoff);
    }
}
