using System.Net.Sockets;
using Quotes.Host.Bootstrap;
using Quotes.Testing;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace Quotes.Host.Tests.Bootstrap;

/// <summary>Bootstrap settings that cannot form a cluster stop the node at start with a clear error; a healthy start stays quiet.</summary>
public sealed class BootstrapSettingsSpecs
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] bootstrap)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = QuotesServer.PolygonKey,
            ["Polygon:WebSocketUrl"] = "ws://127.0.0.1:9",
            ["Akka:Hostname"] = "127.0.0.1",
            ["Akka:PublicHost"] = "127.0.0.1",
        };
        foreach (var (key, value) in bootstrap) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Config_discovery_without_endpoints_stops_the_node_at_start_with_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            QuotesServer.StartHostAsync(Settings(("Akka:Bootstrap:Discovery", "config"))));
        Assert.Contains("Akka:Bootstrap:Discovery is 'config' but Akka:Bootstrap:Endpoints lists no node", error.Message);
    }

    [Fact]
    public async Task Endpoints_given_as_one_comma_separated_value_are_read_as_a_list()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartHostAsync(Settings(
            ("Akka:Bootstrap:Discovery", "config"), ("Akka:Bootstrap:Endpoints", "node1:8558, node2:8558"), ("Akka:Bootstrap:RequiredContactPoints", "3"))));
        Assert.Equal("Akka:Bootstrap:RequiredContactPoints (3) is more than Akka:Bootstrap:Endpoints lists (2): no cluster could ever form", error.Message);
    }

    [Fact]
    public async Task Kubernetes_discovery_outside_a_pod_stops_the_node_at_start_with_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            QuotesServer.StartHostAsync(Settings(("Akka:Bootstrap:Discovery", "kubernetes"))));
        Assert.StartsWith("Akka:Bootstrap:Discovery is 'kubernetes' but", error.Message);
    }

    private static LogEvent Warning(string message, Exception error) =>
        new(DateTimeOffset.Now, LogEventLevel.Warning, error, new MessageTemplateParser().Parse(message), []);

    [Fact]
    public void Probes_of_a_peer_whose_port_is_not_open_yet_are_not_logged_but_other_probe_failures_are()
    {
        var refused = new AggregateException(new HttpRequestException("Connection refused (127.0.0.1:8558)", new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(BootstrapLogFilter.IsPeerNotListeningYet(Warning("Probing [http://127.0.0.1:8558/bootstrap/seed-nodes] failed due to: refused", refused)));

        var timedOut = new AggregateException(new TimeoutException("Probing timeout of [http://127.0.0.1:8558/]"));
        Assert.False(BootstrapLogFilter.IsPeerNotListeningYet(Warning("Probing [http://127.0.0.1:8558/bootstrap/seed-nodes] failed due to: timeout", timedOut)));
        Assert.False(BootstrapLogFilter.IsPeerNotListeningYet(Warning("Polygon upstream connection failed", refused)));
    }
}
