using Quotes.Actors.Cluster.Bootstrap;
using Xunit;

namespace Quotes.Actors.Tests.Bootstrap;

public class BootstrapOptionsSpecs
{
    private static BootstrapOptions Config(params string[] endpoints) => new() { Discovery = "config", Endpoints = endpoints };

    [Fact]
    public void Without_a_discovery_there_is_no_bootstrap_and_nothing_to_check()
    {
        var options = new BootstrapOptions { ManagementPort = -1 };
        Assert.False(options.Enabled);
        Assert.Empty(options.Problems(["akka.tcp://quotes@node1:4053"], 4053, null));
    }

    [Fact]
    public void Config_discovery_with_every_node_listed_is_accepted()
    {
        var options = Config("node1:8558", "node2:8558", "10.0.0.3:8558", "[fd00::4]:8558");
        Assert.True(options.Enabled);
        Assert.Empty(options.Problems([], 4053, null));
    }

    [Fact]
    public void Config_discovery_with_no_endpoints_is_refused()
    {
        var problem = Assert.Single(Config().Problems([], 4053, null));
        Assert.StartsWith("Akka:Bootstrap:Discovery is 'config' but Akka:Bootstrap:Endpoints lists no node", problem);
    }

    [Theory]
    [InlineData("node1")]
    [InlineData("node1:")]
    [InlineData("node1:http")]
    [InlineData("node1:70000")]
    [InlineData(":8558")]
    public void An_endpoint_that_is_not_host_and_port_is_named(string endpoint)
    {
        var problem = Assert.Single(Config("node2:8558", endpoint).Problems([], 4053, null));
        Assert.Equal($"Akka:Bootstrap:Endpoints entry '{endpoint}' is not host:port", problem);
    }

    [Fact]
    public void Requiring_more_contact_points_than_are_listed_is_refused_because_no_cluster_could_form()
    {
        var options = Config("node1:8558", "node2:8558");
        options.RequiredContactPoints = 3;
        var problem = Assert.Single(options.Problems([], 4053, null));
        Assert.Contains("RequiredContactPoints (3) is more than Akka:Bootstrap:Endpoints lists (2)", problem);
    }

    [Fact]
    public void Seeds_and_a_discovery_together_are_refused()
    {
        var problem = Assert.Single(Config("node1:8558", "node2:8558").Problems(["akka.tcp://quotes@node1:4053"], 4053, null));
        Assert.StartsWith("Akka:Seeds and Akka:Bootstrap:Discovery exclude each other", problem);
    }

    [Fact]
    public void An_unknown_discovery_is_refused_with_the_known_ones()
    {
        var problem = Assert.Single(new BootstrapOptions { Discovery = "dns" }.Problems([], 4053, null));
        Assert.Equal("Akka:Bootstrap:Discovery must be 'config' or 'kubernetes' (or empty for static seeds); it is 'dns'", problem);
    }

    [Fact]
    public void The_management_port_must_be_a_port_other_than_remoting()
    {
        var same = Config("node1:4053", "node2:4053");
        same.ManagementPort = 4053;
        Assert.Equal("Akka:Bootstrap:ManagementPort and Akka:Port must differ; both are 4053", Assert.Single(same.Problems([], 4053, null)));

        var none = Config("node1:8558", "node2:8558");
        none.ManagementPort = 0;
        Assert.StartsWith("Akka:Bootstrap:ManagementPort must be a port between 1 and 65535", Assert.Single(none.Problems([], 4053, null)));
    }

    [Fact]
    public void Timings_and_counts_must_make_sense()
    {
        var options = Config("node1:8558", "node2:8558");
        options.RequiredContactPoints = 0;
        options.StableMargin = TimeSpan.Zero;
        options.ServiceName = " ";
        var problems = options.Problems([], 4053, null);
        Assert.Contains("Akka:Bootstrap:RequiredContactPoints must be at least 1; it is 0", problems);
        Assert.Contains(problems, p => p.StartsWith("Akka:Bootstrap:StableMargin must be positive"));
        Assert.Contains("Akka:Bootstrap:ServiceName must not be empty", problems);
    }

    [Fact]
    public void Kubernetes_discovery_needs_the_pod_IP_as_public_host_and_a_label_selector()
    {
        var options = new BootstrapOptions { Discovery = "kubernetes" };
        Assert.Empty(options.Problems([], 4053, "10.1.0.11"));

        options.PodLabelSelector = "";
        var problems = options.Problems([], 4053, null);
        Assert.Contains(problems, p => p.StartsWith("Akka:Bootstrap:PodLabelSelector must not be empty"));
        Assert.Contains(problems, p => p.StartsWith("Akka:PublicHost must be set to the pod's IP (status.podIP)"));
    }
}
