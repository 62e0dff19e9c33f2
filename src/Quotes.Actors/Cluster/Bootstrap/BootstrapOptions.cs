namespace Quotes.Actors.Cluster.Bootstrap;

/// <summary>
/// Forming the cluster without a seed list (<c>Akka:Bootstrap</c>): each node serves its view of the cluster on a
/// management port, finds the other nodes' management ports through discovery, and Akka's cluster bootstrap either
/// joins the cluster they report or, when none exists yet and enough of them answer, lets the lowest address form it.
/// Absent <see cref="Discovery"/>: static seeds (<c>Akka:Seeds</c>) as before.
/// </summary>
public sealed class BootstrapOptions
{
    /// <summary>Discovery from a fixed host list (<see cref="Endpoints"/>): plain hosts, a local cluster.</summary>
    public const string ConfigDiscovery = "config";

    /// <summary>Discovery of this deployment's pods through the Kubernetes API (<see cref="PodLabelSelector"/>).</summary>
    public const string KubernetesDiscovery = "kubernetes";

    /// <summary><c>config</c> or <c>kubernetes</c>; empty: no bootstrap, static seeds.</summary>
    public string? Discovery { get; set; }

    /// <summary>The port serving <c>GET /bootstrap/seed-nodes</c> to the other nodes (and nothing else). The same on every node.</summary>
    public int ManagementPort { get; set; } = 8558;

    /// <summary>The name the nodes are looked up by; every node of one cluster uses the same.</summary>
    public string ServiceName { get; set; } = "quotes";

    /// <summary>
    /// How many contact points must be found, and must answer, before a new cluster is formed. Joining an existing
    /// cluster needs only one that reports it. Set it to the number of nodes a fresh cluster starts with (at least 2:
    /// with 1, two nodes started together can each form a cluster of their own).
    /// </summary>
    public int RequiredContactPoints { get; set; } = 2;

    /// <summary>Config discovery: every node's <c>host:managementPort</c>, the same list on every node.</summary>
    public string[] Endpoints { get; set; } = [];

    /// <summary>Kubernetes discovery: the label selector of this deployment's pods.</summary>
    public string PodLabelSelector { get; set; } = "app=akkaquotes";

    /// <summary>Kubernetes discovery: the pods' namespace. Default: the service account's namespace (the pod's own).</summary>
    public string? PodNamespace { get; set; }

    /// <summary>
    /// How long the discovered contact points must stay the same before a new cluster is formed: a trade between
    /// forming quickly and forming on a half-started set of nodes.
    /// </summary>
    public TimeSpan StableMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the cluster is formed through bootstrap rather than seeds.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Discovery);

    /// <summary>
    /// What is wrong with these settings on a node with <paramref name="seeds"/>, remoting on <paramref name="akkaPort"/>
    /// and <paramref name="publicHost"/> (<c>Akka:PublicHost</c>) as set; empty when nothing is.
    /// </summary>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<string> seeds, int akkaPort, string? publicHost)
    {
        if (!Enabled) return [];
        var problems = new List<string>();
        if (Discovery is not (ConfigDiscovery or KubernetesDiscovery))
            problems.Add($"Akka:Bootstrap:Discovery must be '{ConfigDiscovery}' or '{KubernetesDiscovery}' (or empty for static seeds); it is '{Discovery}'");
        if (seeds.Count > 0)
            problems.Add("Akka:Seeds and Akka:Bootstrap:Discovery exclude each other: give seeds or a discovery, not both");
        if (ManagementPort is < 1 or > 65535)
            problems.Add($"Akka:Bootstrap:ManagementPort must be a port between 1 and 65535; it is {ManagementPort}");
        else if (ManagementPort == akkaPort)
            problems.Add($"Akka:Bootstrap:ManagementPort and Akka:Port must differ; both are {akkaPort}");
        if (string.IsNullOrWhiteSpace(ServiceName))
            problems.Add("Akka:Bootstrap:ServiceName must not be empty");
        if (RequiredContactPoints < 1)
            problems.Add($"Akka:Bootstrap:RequiredContactPoints must be at least 1; it is {RequiredContactPoints}");
        if (StableMargin <= TimeSpan.Zero)
            problems.Add($"Akka:Bootstrap:StableMargin must be positive; it is {StableMargin}");

        if (Discovery == ConfigDiscovery)
        {
            if (Endpoints.Length == 0)
                problems.Add("Akka:Bootstrap:Discovery is 'config' but Akka:Bootstrap:Endpoints lists no node: give every node's host:managementPort");
            foreach (var endpoint in Endpoints.Where(e => !IsHostAndPort(e)))
                problems.Add($"Akka:Bootstrap:Endpoints entry '{endpoint}' is not host:port");
            if (Endpoints.Length > 0 && RequiredContactPoints > Endpoints.Length)
                problems.Add($"Akka:Bootstrap:RequiredContactPoints ({RequiredContactPoints}) is more than Akka:Bootstrap:Endpoints lists ({Endpoints.Length}): no cluster could ever form");
        }
        if (Discovery == KubernetesDiscovery)
        {
            if (string.IsNullOrWhiteSpace(PodLabelSelector))
                problems.Add("Akka:Bootstrap:PodLabelSelector must not be empty: it selects this deployment's pods");
            if (string.IsNullOrWhiteSpace(publicHost))
                problems.Add("Akka:PublicHost must be set to the pod's IP (status.podIP) with kubernetes discovery: the other pods find this one by it");
        }
        return problems;
    }

    private static bool IsHostAndPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0
            && int.TryParse(endpoint.AsSpan(colon + 1), out var port) && port is >= 1 and <= 65535
            && Uri.CheckHostName(endpoint[..colon].Trim('[', ']')) != UriHostNameType.Unknown;
    }
}
