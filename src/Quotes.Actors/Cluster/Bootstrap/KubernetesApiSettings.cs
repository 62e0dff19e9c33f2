using Akka.Hosting;

namespace Quotes.Actors.Cluster.Bootstrap;

/// <summary>
/// Where <see cref="KubernetesPodDiscovery"/> asks for the pods and with what credentials: the API server from the
/// environment Kubernetes gives every pod, the service account's token, CA and namespace from the files it mounts.
/// </summary>
public sealed record KubernetesApiSettings(Uri ApiServer, string TokenFile, string CaFile, string Namespace, string LabelSelector, int ManagementPort)
{
    /// <summary>Where Kubernetes mounts the pod's service-account credentials.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The discovery method's name in Akka's configuration (<c>akka.discovery.kubernetes-pods</c>).</summary>
    public const string Method = "kubernetes-pods";

    /// <summary>
    /// The settings of a node running in a pod; an <see cref="InvalidOperationException"/> saying what is missing when
    /// it is not (no API server in the environment, no mounted service account).
    /// </summary>
    public static KubernetesApiSettings FromEnvironment(BootstrapOptions options, Func<string, string?> environment,
        string serviceAccountDirectory = ServiceAccountDirectory)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrWhiteSpace(host) || !int.TryParse(port, out var apiPort))
            throw new InvalidOperationException(
                "Akka:Bootstrap:Discovery is 'kubernetes' but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: " +
                "this node is not running in a Kubernetes pod (use 'config' discovery or Akka:Seeds elsewhere)");
        var token = Path.Combine(serviceAccountDirectory, "token");
        var ca = Path.Combine(serviceAccountDirectory, "ca.crt");
        foreach (var file in new[] { token, ca })
            if (!File.Exists(file))
                throw new InvalidOperationException(
                    $"Akka:Bootstrap:Discovery is 'kubernetes' but {file} does not exist: the pod needs its service account " +
                    "mounted (automountServiceAccountToken must not be false)");
        var ns = options.PodNamespace;
        if (string.IsNullOrWhiteSpace(ns))
        {
            var file = Path.Combine(serviceAccountDirectory, "namespace");
            ns = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
            if (string.IsNullOrWhiteSpace(ns))
                throw new InvalidOperationException($"Akka:Bootstrap:PodNamespace is not set and {file} does not name one");
        }
        var api = new UriBuilder(Uri.UriSchemeHttps, host.Contains(':') ? $"[{host}]" : host, apiPort).Uri;
        return new KubernetesApiSettings(api, token, ca, ns, options.PodLabelSelector, options.ManagementPort);
    }

    /// <summary>The pod list this node asks for: <c>GET /api/v1/namespaces/{ns}/pods?labelSelector=…</c>.</summary>
    public Uri PodsUri => new(ApiServer,
        $"/api/v1/namespaces/{Uri.EscapeDataString(Namespace)}/pods?labelSelector={Uri.EscapeDataString(LabelSelector)}");

    /// <summary>The discovery method's configuration, made the default <c>akka.discovery.method</c>.</summary>
    public string ToHocon() => $$"""
        akka.discovery.method = {{Method}}
        akka.discovery.{{Method}} {
          class = {{typeof(KubernetesPodDiscovery).AssemblyQualifiedName!.ToHocon()}}
          api-server = {{ApiServer.ToString().ToHocon()}}
          token-file = {{TokenFile.ToHocon()}}
          ca-file = {{CaFile.ToHocon()}}
          namespace = {{Namespace.ToHocon()}}
          label-selector = {{LabelSelector.ToHocon()}}
          management-port = {{ManagementPort}}
        }
        """;

    /// <summary>The settings back from the discovery method's configuration section.</summary>
    public static KubernetesApiSettings FromConfig(Akka.Configuration.Config config) => new(
        new Uri(config.GetString("api-server")), config.GetString("token-file"), config.GetString("ca-file"),
        config.GetString("namespace"), config.GetString("label-selector"), config.GetInt("management-port"));
}
