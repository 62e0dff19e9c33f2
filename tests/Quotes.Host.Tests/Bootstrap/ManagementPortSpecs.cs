using System.Net;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Bootstrap;

/// <summary>
/// The bootstrap management port binds the interface remoting binds: with a host name as <c>Akka:PublicHost</c> and no
/// <c>Akka:Hostname</c>, that name's interface, not every interface. Real nodes on loopback.
/// </summary>
public sealed class ManagementPortSpecs : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartSimulatorAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task With_a_host_name_and_no_bind_address_the_management_port_listens_on_that_names_interface_only()
    {
        // 127.0.0.2 is another loopback address: a socket bound to every interface accepts it, one bound to localhost does not.
        var bound = await StartBootstrappingNodeAsync(hostname: null);
        var everywhere = await StartBootstrappingNodeAsync(hostname: "0.0.0.0");

        Assert.True(await TcpProbe.AcceptsAsync(IPAddress.Loopback, bound), "the public host's interface must accept");
        Assert.False(await TcpProbe.AcceptsAsync(IPAddress.Parse("127.0.0.2"), bound), "the management port is bound to every interface");
        Assert.True(await TcpProbe.AcceptsAsync(IPAddress.Parse("127.0.0.2"), everywhere),
            "Akka:Hostname=0.0.0.0 set explicitly must still bind every interface (the probe above could not fail otherwise)");
    }

    /// <summary>A node with config discovery whose other contact point never answers: it stays unjoined, its management port open.</summary>
    private async Task<int> StartBootstrappingNodeAsync(string? hostname)
    {
        var management = NodeProcess.FreePort();
        var settings = ClusterNodes.NodeSettings(_cluster.Simulator);
        settings["Akka:PublicHost"] = "localhost";
        if (hostname is not null) settings["Akka:Hostname"] = hostname;
        settings["Akka:Port"] = NodeProcess.FreePort().ToString();
        settings["Akka:Bootstrap:Discovery"] = "config";
        settings["Akka:Bootstrap:ManagementPort"] = management.ToString();
        settings["Akka:Bootstrap:Endpoints:0"] = $"localhost:{management}";
        settings["Akka:Bootstrap:Endpoints:1"] = $"localhost:{NodeProcess.FreePort()}";
        _cluster.Nodes.Add(await QuotesServer.StartHostAsync(settings, _cluster.Simulator, waitUntilReady: false));
        return management;
    }
}
