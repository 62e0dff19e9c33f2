using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>The one-connection-per-account rule as bookkeeping alone: who is evicted, who holds the account afterwards.</summary>
public sealed class AccountConnectionsSpecs
{
    private readonly AccountConnections _accounts = new();

    [Fact]
    public void Evict_newer_turns_the_second_connection_away_and_keeps_the_first()
    {
        Assert.Empty(_accounts.Admit(account: 0, connection: 1, ConnectionLimitMode.EvictNewer));

        Assert.Equal([2], _accounts.Admit(account: 0, connection: 2, ConnectionLimitMode.EvictNewer));
        Assert.Equal([1], _accounts.Holders(0));
    }

    [Fact]
    public void Evict_older_turns_the_first_connection_away_and_keeps_the_second()
    {
        Assert.Empty(_accounts.Admit(account: 0, connection: 1, ConnectionLimitMode.EvictOlder));

        Assert.Equal([1], _accounts.Admit(account: 0, connection: 2, ConnectionLimitMode.EvictOlder));
        Assert.Equal([2], _accounts.Holders(0));
    }

    [Fact]
    public void Off_lets_every_connection_hold_the_account()
    {
        Assert.Empty(_accounts.Admit(0, 1, ConnectionLimitMode.Off));
        Assert.Empty(_accounts.Admit(0, 2, ConnectionLimitMode.Off));

        Assert.Equal([1, 2], _accounts.Holders(0));
    }

    [Theory]
    [InlineData(ConnectionLimitMode.EvictNewer)]
    [InlineData(ConnectionLimitMode.EvictOlder)]
    public void Different_accounts_never_evict_each_other(ConnectionLimitMode mode)
    {
        Assert.Empty(_accounts.Admit(0, 1, mode));
        Assert.Empty(_accounts.Admit(1, 2, mode));

        Assert.Equal([1], _accounts.Holders(0));
        Assert.Equal([2], _accounts.Holders(1));
    }

    [Fact]
    public void Evict_older_after_off_evicts_every_earlier_holder()
    {
        _accounts.Admit(0, 1, ConnectionLimitMode.Off);
        _accounts.Admit(0, 2, ConnectionLimitMode.Off);

        Assert.Equal([1, 2], _accounts.Admit(0, 3, ConnectionLimitMode.EvictOlder));
        Assert.Equal([3], _accounts.Holders(0));
    }

    [Theory]
    [InlineData(ConnectionLimitMode.EvictNewer)]
    [InlineData(ConnectionLimitMode.EvictOlder)]
    public void A_released_connection_no_longer_counts(ConnectionLimitMode mode)
    {
        _accounts.Admit(0, 1, mode);

        _accounts.Release(1);

        Assert.Empty(_accounts.Admit(0, 2, mode));
        Assert.Equal([2], _accounts.Holders(0));
    }

    [Theory]
    [InlineData(ConnectionLimitMode.EvictNewer)]
    [InlineData(ConnectionLimitMode.EvictOlder)]
    public void A_repeated_auth_on_the_same_connection_evicts_nobody(ConnectionLimitMode mode)
    {
        _accounts.Admit(0, 1, mode);

        Assert.Empty(_accounts.Admit(0, 1, mode));
        Assert.Equal([1], _accounts.Holders(0));
    }

    [Fact]
    public void Authenticating_again_under_another_account_leaves_the_first()
    {
        _accounts.Admit(0, 1, ConnectionLimitMode.EvictNewer);

        _accounts.Admit(1, 1, ConnectionLimitMode.EvictNewer);

        Assert.Empty(_accounts.Holders(0));
        Assert.Empty(_accounts.Admit(0, 2, ConnectionLimitMode.EvictNewer));
    }
}
