using System.Net;
using Microsoft.Extensions.Options;
using Quotes.Host.WebSockets;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>The pre-auth budget's bookkeeping, without sockets: per node, per address (IPv6 per /64), separate from client slots.</summary>
public sealed class ConnectionLimiterSpecs
{
    private static ConnectionLimiter Limiter(int preAuthPerNode, int preAuthPerAddress, int clients = 2) => new(Options.Create(new ConnectionLimitOptions
    {
        MaxConnections = clients,
        MaxPreAuthConnections = preAuthPerNode,
        MaxPreAuthConnectionsPerIp = preAuthPerAddress,
    }));

    [Fact]
    public void Past_the_node_pre_auth_budget_every_address_is_refused_and_a_release_frees_one()
    {
        var limiter = Limiter(preAuthPerNode: 3, preAuthPerAddress: 10);
        var held = new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" }.Select(a => limiter.TryAcquirePreAuth(IPAddress.Parse(a))).ToList();
        Assert.All(held, Assert.NotNull);

        Assert.Null(limiter.TryAcquirePreAuth(IPAddress.Parse("10.0.0.4")));
        held[0]!.Dispose();
        held[0]!.Dispose(); // twice changes nothing
        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("10.0.0.4")));
        Assert.Null(limiter.TryAcquirePreAuth(IPAddress.Parse("10.0.0.5")));
    }

    [Fact]
    public void One_address_is_held_to_its_own_budget_and_an_IPv6_64_counts_as_one_address()
    {
        var limiter = Limiter(preAuthPerNode: 100, preAuthPerAddress: 2);
        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("192.0.2.7")));
        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("::ffff:192.0.2.7"))); // the same address, IPv4-mapped
        Assert.Null(limiter.TryAcquirePreAuth(IPAddress.Parse("192.0.2.7")));
        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("192.0.2.8")));

        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.Null(limiter.TryAcquirePreAuth(IPAddress.Parse("2001:db8:1:2:abcd::1")));
        Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void Pre_auth_slots_never_take_client_slots()
    {
        var limiter = Limiter(preAuthPerNode: 10, preAuthPerAddress: 10, clients: 2);
        for (var i = 0; i < 10; i++) Assert.NotNull(limiter.TryAcquirePreAuth(IPAddress.Loopback));
        Assert.NotNull(limiter.TryAcquire("key-a"));
        Assert.NotNull(limiter.TryAcquire("key-b"));
        Assert.Null(limiter.TryAcquire("key-c"));
        Assert.Equal((2, 10), (limiter.Open, limiter.PreAuth));
    }
}
