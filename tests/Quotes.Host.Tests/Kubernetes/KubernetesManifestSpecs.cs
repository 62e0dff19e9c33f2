using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>
/// The manifests under <c>deploy/kubernetes</c> hold together and match the code: the ports the settings make the host
/// listen on are the ports the pod declares and the Services use, every setting is one the host reads (learned from
/// the host composed with those very settings), the keys come from the Secret, and every selector finds the pods.
/// </summary>
public sealed class KubernetesManifestSpecs
{
    private readonly Manifests _manifests = Manifests.Load();

    [Fact]
    public void Every_manifest_parses_applies_to_any_namespace_and_the_kustomization_lists_all_but_the_example_secret()
    {
        Assert.NotEmpty(_manifests.All);
        foreach (var manifest in _manifests.All)
        {
            Assert.False(string.IsNullOrEmpty(manifest.Root.Str("apiVersion")), $"{manifest}: no apiVersion");
            Assert.Null(manifest.Root.TryAt("metadata", "namespace")); // the namespace is the operator's choice
        }

        var kustomization = _manifests.Single("Kustomization");
        var listed = kustomization.Root.Items("resources").Select(r => r.Str()).ToArray();
        var files = Directory.GetFiles(Manifests.Directory, "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not Manifests.KustomizationFile and not Manifests.ExampleSecretFile).Order(StringComparer.Ordinal);
        Assert.Equal(files, listed.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Manifests.ExampleSecretFile, listed); // applying it would replace the real keys with placeholders
        Assert.Null(kustomization.Root.TryAt("namespace"));
    }

    [Fact]
    public void The_container_ports_are_the_ports_the_settings_make_the_host_listen_on()
    {
        var ports = _manifests.ContainerPorts;
        var env = _manifests.Environment;
        Assert.Equal(["http", "management", "metrics", "remoting"], ports.Keys.Order(StringComparer.Ordinal));

        Assert.Equal(ports["http"], HttpPort(env));
        Assert.Equal("", env["ASPNETCORE_HTTP_PORTS"].Value); // the base image's 8080 beside URLS: a warning at every start
        Assert.Equal(ports["remoting"], PortSetting(env, "Akka__Port"));
        Assert.Equal(ports["management"], PortSetting(env, "Akka__Bootstrap__ManagementPort"));
        Assert.Equal(ports["metrics"], PortSetting(env, "Metrics__Port"));

        var annotations = _manifests.Deployment.Root.At("spec", "template", "metadata", "annotations").Strings();
        Assert.Equal(ports["metrics"].ToString(), annotations["prometheus.io/port"]);
    }

    [Fact]
    public void The_node_forms_its_cluster_through_kubernetes_discovery_and_advertises_its_pod_ip()
    {
        var env = _manifests.Environment;
        Assert.Equal("status.podIP", env["Akka__PublicHost"].FieldPath);
        Assert.Equal("kubernetes", env["Akka__Bootstrap__Discovery"].Value);
        Assert.False(env.ContainsKey("Akka__Hostname"), "remoting binds the public host's interface, the pod IP, unless told otherwise");
        Assert.DoesNotContain(env.Keys, name => name.StartsWith("Akka__Seeds", StringComparison.Ordinal));
    }

    [Fact]
    public void Probes_and_services_refer_to_ports_the_container_declares()
    {
        var ports = _manifests.ContainerPorts;
        Assert.Equal("/health/ready", _manifests.Container.Str("readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", _manifests.Container.Str("livenessProbe", "httpGet", "path"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            Assert.Equal("http", _manifests.Container.Str(probe, "httpGet", "port")); // the health endpoints are on the client port

        foreach (var service in _manifests.OfKind("Service"))
            foreach (var port in service.Root.Items("spec", "ports"))
                Assert.True(ports.ContainsKey(port.Str("targetPort")), $"{service}: targetPort {port.Str("targetPort")} is not a named container port");

        var clients = _manifests.Named("Service", "akkaquotes");
        Assert.Equal(["http"], clients.Root.Items("spec", "ports").Select(p => p.Str("targetPort")));
        Assert.Null(clients.Root.TryAt("spec", "sessionAffinity"));

        var nodes = _manifests.OfKind("Service").Single(s => s.Root.TryAt("spec", "clusterIP") is { } ip && ip.Str() == "None");
        Assert.Equal(["management", "remoting"], nodes.Root.Items("spec", "ports").Select(p => p.Str("targetPort")).Order(StringComparer.Ordinal));
        Assert.Equal("true", nodes.Root.Str("spec", "publishNotReadyAddresses")); // a node is ready only after it joined
    }

    [Fact]
    public async Task Every_setting_given_to_the_pod_is_one_the_host_reads()
    {
        var env = _manifests.Environment;
        var hostKeys = typeof(WebHostDefaults).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Some settings are read only in circumstances of their own: kubernetes discovery needs a real pod (the API
        // server's address, the service account's files), Polygon:Required matters when the Polygon key is missing. The
        // host is composed with every setting as given, without discovery, and without discovery and the keys.
        string[] podOnly = ["Akka:Bootstrap:Discovery"];
        var keys = env.Values.Where(s => s.Source == "secretKeyRef").Select(s => s.ConfigurationKey);
        var reads = await ComposedHost.ReadsAsync(ExampleValues(env), podOnly, [.. podOnly, .. keys]);

        // The web host's own settings (urls, http_ports) are read as it starts, which the composition stops short of.
        var unread = env.Values.Where(s => !reads.WasRead(s.ConfigurationKey)
                && !(s.Name.StartsWith(Setting.WebHostPrefix, StringComparison.Ordinal) && hostKeys.Contains(s.ConfigurationKey)))
            .Select(s => $"{s.Name} ({s.Source})").ToArray();
        Assert.True(unread.Length == 0, "the host never reads: " + string.Join(", ", unread));
        Assert.True(reads.WasRead("Akka:Port"), "the recording must see the host's reads"); // the check above can fail
    }

    [Fact]
    public void Keys_come_from_the_secret_whose_example_holds_every_referenced_key_and_only_placeholders()
    {
        var env = _manifests.Environment;
        foreach (var name in new[] { "Polygon__ApiKey", "Auth__ApiKeys", "Admin__ApiKey" })
            Assert.Equal("secretKeyRef", env[name].Source);
        Assert.DoesNotContain(env.Values, s => s.Source != "secretKeyRef" && s.Name.Contains("ApiKey", StringComparison.OrdinalIgnoreCase));

        var secrets = _manifests.OfKind("Secret").ToArray();
        Assert.All(secrets, s => Assert.Equal(Manifests.ExampleSecretFile, s.File));
        foreach (var reference in env.Values.Where(s => s.Source == "secretKeyRef"))
        {
            var data = _manifests.Named("Secret", reference.SecretName!).Root.At("stringData").Strings();
            Assert.True(data.ContainsKey(reference.SecretKey!), $"{reference.Name}: key {reference.SecretKey} is not in {reference.SecretName}");
        }
        foreach (var value in secrets.SelectMany(s => s.Root.At("stringData").Strings().Values))
            Assert.All(value.Split(','), v => Assert.StartsWith("REPLACE-", v));
    }

    [Fact]
    public void The_service_account_may_get_list_and_watch_pods_in_its_namespace()
    {
        var account = _manifests.Deployment.Root.Str("spec", "template", "spec", "serviceAccountName");
        _manifests.Named("ServiceAccount", account);

        var binding = _manifests.OfKind("RoleBinding").Single(b => b.Root.Items("subjects").Any(s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account));
        Assert.Equal("Role", binding.Root.Str("roleRef", "kind"));
        var role = _manifests.Named("Role", binding.Root.Str("roleRef", "name"));
        var pods = role.Root.Items("rules").Where(r =>
            r.Items("apiGroups").Any(g => g.Str() == "") && r.Items("resources").Any(x => x.Str() == "pods")).ToArray();
        var verbs = pods.SelectMany(r => r.Items("verbs")).Select(v => v.Str()).ToHashSet();
        Assert.Superset(new HashSet<string> { "get", "list", "watch" }, verbs);
    }

    [Fact]
    public void Every_selector_finds_the_pods_and_the_disruption_budget_lets_one_go_at_a_time()
    {
        var pods = _manifests.PodLabels;
        Assert.Equal("akkaquotes", pods["app"]);

        AssertSelects(_manifests.Deployment.Root.At("spec", "selector", "matchLabels"), "Deployment selector");
        foreach (var service in _manifests.OfKind("Service")) AssertSelects(service.Root.At("spec", "selector"), service.ToString());
        var budget = _manifests.Single("PodDisruptionBudget");
        AssertSelects(budget.Root.At("spec", "selector", "matchLabels"), budget.ToString());
        Assert.Equal(1, budget.Root.Int("spec", "maxUnavailable"));
        foreach (var spread in _manifests.Deployment.Root.Items("spec", "template", "spec", "topologySpreadConstraints"))
            AssertSelects(spread.At("labelSelector", "matchLabels"), "topology spread");

        // Pod discovery lists the pods by the same labels.
        var discovery = _manifests.Environment["Akka__Bootstrap__PodLabelSelector"].Value!;
        var wanted = discovery.Split(',').Select(pair => pair.Split('=')).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
        Assert.All(wanted, kv => Assert.Equal(kv.Value, pods.GetValueOrDefault(kv.Key)));
    }

    [Fact]
    public void Only_the_nodes_reach_the_remoting_and_management_ports()
    {
        var policy = _manifests.Single("NetworkPolicy");
        AssertSelects(policy.Root.At("spec", "podSelector", "matchLabels"), policy.ToString());
        var rules = policy.Root.Items("spec", "ingress")
            .Select(r => (From: r.Items("from").ToArray(), Ports: r.Items("ports").Select(p => p.Str("port")).ToArray())).ToArray();
        // Every container port is in exactly one rule, by name.
        Assert.Equal(_manifests.ContainerPorts.Keys.Order(StringComparer.Ordinal), rules.SelectMany(r => r.Ports).Order(StringComparer.Ordinal));

        foreach (var port in new[] { "remoting", "management" })
        {
            var from = rules.Single(r => r.Ports.Contains(port)).From;
            Assert.NotEmpty(from); // an empty "from" admits everyone
            foreach (var peer in from)
            {
                Assert.Null(peer.TryAt("ipBlock"));
                Assert.Null(peer.TryAt("namespaceSelector"));
                AssertSelects(peer.At("podSelector", "matchLabels"), $"{policy}: {port} peers");
            }
        }
        Assert.Empty(rules.Single(r => r.Ports.Contains("http")).From); // clients come from anywhere
    }

    private void AssertSelects(YamlNode selector, string what)
    {
        var labels = selector.Strings();
        Assert.NotEmpty(labels);
        foreach (var (key, value) in labels)
            Assert.True(_manifests.PodLabels.GetValueOrDefault(key) == value, $"{what}: {key}={value} is not a label of the pods");
    }

    /// <summary>The one port of <c>ASPNETCORE_URLS</c> (<c>http://+:8080</c>; <c>+</c> and <c>*</c> mean every interface).</summary>
    private static int HttpPort(IReadOnlyDictionary<string, Setting> env) =>
        env.TryGetValue("ASPNETCORE_URLS", out var urls) && urls.Value is { } value
            ? new Uri(value.Split(';').Single().Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal)).Port
            : throw new Xunit.Sdk.XunitException("ASPNETCORE_URLS is not set in the manifests");

    private static int PortSetting(IReadOnlyDictionary<string, Setting> env, string name) =>
        env.TryGetValue(name, out var setting) && int.TryParse(setting.Value, out var port) ? port
            : throw new Xunit.Sdk.XunitException($"{name} is not set to a port in the manifests");

    /// <summary>The values a pod would see: literals as they are, the Secret's example values, a pod IP.</summary>
    private Dictionary<string, string?> ExampleValues(IReadOnlyDictionary<string, Setting> env) =>
        env.Values.ToDictionary(s => s.ConfigurationKey, s => s.Source switch
        {
            "fieldRef" => "10.0.0.1",
            "secretKeyRef" => _manifests.Named("Secret", s.SecretName!).Root.At("stringData").Str(s.SecretKey!),
            _ => s.Value,
        });
}
