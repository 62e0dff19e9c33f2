using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Discovery;

namespace Quotes.Actors.Cluster.Bootstrap;

/// <summary>
/// The part of the Kubernetes API's pod list (<c>GET /api/v1/namespaces/{ns}/pods</c>) that discovery reads, and which of
/// its pods are contact points.
/// </summary>
public sealed record PodList(IReadOnlyList<PodList.Pod> Items)
{
    /// <summary>One pod: its name, whether it is being deleted, its phase and IP.</summary>
    public sealed record Pod(PodMetadata Metadata, PodStatus? Status);

    /// <summary><c>deletionTimestamp</c> is set once the pod is terminating.</summary>
    public sealed record PodMetadata(string Name, DateTimeOffset? DeletionTimestamp);

    /// <summary><c>phase</c>: Pending, Running, Succeeded, Failed or Unknown; <c>podIP</c> once the pod has one.</summary>
    public sealed record PodStatus(string? Phase, string? PodIP);

    /// <summary>
    /// The running pods' management endpoints. A pending pod has no node process to answer yet and a terminating one is
    /// leaving: probing either only delays the decision. Readiness is not required: a pod is ready only once it has
    /// joined, and joining is what the contact points are for.
    /// </summary>
    public IReadOnlyList<ServiceDiscovery.ResolvedTarget> ContactPoints(int managementPort) =>
        Items.Where(p => p.Status is { Phase: "Running", PodIP: { Length: > 0 } } && p.Metadata.DeletionTimestamp is null)
            .Select(p => IPAddress.TryParse(p.Status!.PodIP, out var ip) ? new ServiceDiscovery.ResolvedTarget(p.Status.PodIP, managementPort, ip) : null)
            .OfType<ServiceDiscovery.ResolvedTarget>()
            .ToList();
}

/// <summary>Reads <see cref="PodList"/> from the API's camelCase JSON.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PodList))]
internal sealed partial class PodListJsonContext : JsonSerializerContext;
