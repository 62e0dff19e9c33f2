using Quotes.Actors.Cluster.Bootstrap;
using Xunit;

namespace Quotes.Actors.Tests.Bootstrap;

/// <summary>What a node in a pod reads to find the API server and its credentials, and what it says when they are missing.</summary>
public sealed class KubernetesApiSettingsSpecs : IDisposable
{
    private readonly string _serviceAccount = Directory.CreateTempSubdirectory("service-account").FullName;
    private readonly Dictionary<string, string?> _environment = new() { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
    private readonly BootstrapOptions _options = new() { Discovery = "kubernetes" };

    public KubernetesApiSettingsSpecs()
    {
        File.WriteAllText(Path.Combine(_serviceAccount, "token"), "token");
        File.WriteAllText(Path.Combine(_serviceAccount, "ca.crt"), "ca");
        File.WriteAllText(Path.Combine(_serviceAccount, "namespace"), "market-data\n");
    }

    public void Dispose() => Directory.Delete(_serviceAccount, recursive: true);

    private KubernetesApiSettings Read() => KubernetesApiSettings.FromEnvironment(_options, _environment.GetValueOrDefault, _serviceAccount);

    [Fact]
    public void A_pod_asks_its_API_server_for_its_own_namespace_pods_by_label()
    {
        var settings = Read();
        Assert.Equal(new Uri("https://10.96.0.1:443/api/v1/namespaces/market-data/pods?labelSelector=app%3Dakkaquotes"), settings.PodsUri);
        Assert.Equal(Path.Combine(_serviceAccount, "token"), settings.TokenFile);
        Assert.Equal(Path.Combine(_serviceAccount, "ca.crt"), settings.CaFile);
        Assert.Equal(8558, settings.ManagementPort);
    }

    [Fact]
    public void A_namespace_and_selector_in_the_settings_win_and_an_IPv6_API_server_is_bracketed()
    {
        _options.PodNamespace = "other";
        _options.PodLabelSelector = "app=akkaquotes,tier=edge";
        _options.ManagementPort = 9000;
        _environment["KUBERNETES_SERVICE_HOST"] = "fd00:10:96::1";
        var settings = Read();
        Assert.Equal(new Uri("https://[fd00:10:96::1]:443/api/v1/namespaces/other/pods?labelSelector=app%3Dakkaquotes%2Ctier%3Dedge"), settings.PodsUri);
        Assert.Equal(9000, settings.ManagementPort);
    }

    [Fact]
    public void Outside_a_pod_the_node_says_so()
    {
        _environment.Remove("KUBERNETES_SERVICE_HOST");
        var error = Assert.Throws<InvalidOperationException>(Read);
        Assert.Contains("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this node is not running in a Kubernetes pod", error.Message);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("ca.crt")]
    public void Without_the_mounted_service_account_the_node_names_the_missing_file(string file)
    {
        File.Delete(Path.Combine(_serviceAccount, file));
        var error = Assert.Throws<InvalidOperationException>(Read);
        Assert.Contains($"{Path.Combine(_serviceAccount, file)} does not exist", error.Message);
        Assert.Contains("automountServiceAccountToken", error.Message);
    }

    [Fact]
    public void Without_a_namespace_anywhere_the_node_says_where_it_looked()
    {
        File.Delete(Path.Combine(_serviceAccount, "namespace"));
        var error = Assert.Throws<InvalidOperationException>(Read);
        Assert.Equal($"Akka:Bootstrap:PodNamespace is not set and {Path.Combine(_serviceAccount, "namespace")} does not name one", error.Message);
    }

    [Fact]
    public void The_settings_reach_the_discovery_through_Akka_configuration_unchanged()
    {
        var settings = Read();
        var config = Akka.Configuration.ConfigurationFactory.ParseString(settings.ToHocon());
        Assert.Equal(KubernetesApiSettings.Method, config.GetString("akka.discovery.method"));
        Assert.Equal(typeof(KubernetesPodDiscovery), Type.GetType(config.GetString($"akka.discovery.{KubernetesApiSettings.Method}.class")));
        Assert.Equal(settings, KubernetesApiSettings.FromConfig(config.GetConfig($"akka.discovery.{KubernetesApiSettings.Method}")));
    }
}
