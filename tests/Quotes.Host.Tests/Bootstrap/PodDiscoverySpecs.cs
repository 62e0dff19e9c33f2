using System.Net;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Akka.Discovery;
using Quotes.Actors.Cluster.Bootstrap;
using Xunit;

namespace Quotes.Host.Tests.Bootstrap;

/// <summary>
/// Kubernetes discovery as a node runs it: the settings a pod gets (API server in the environment, the service account's
/// token, CA and namespace as files), the discovery Akka loads from them, and a fake API server over TLS.
/// </summary>
public sealed class PodDiscoverySpecs : IAsyncLifetime
{
    private const string Namespace = "market-data";
    private readonly string _serviceAccount = Directory.CreateTempSubdirectory("service-account").FullName;
    private FakeKubernetesApi _api = null!;
    private ActorSystem _system = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "token"), _api.Token + "\n");
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "ca.crt"), _api.Ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "namespace"), Namespace);
    }

    public async Task DisposeAsync()
    {
        if (_system is not null) await _system.Terminate();
        await _api.DisposeAsync();
        Directory.Delete(_serviceAccount, recursive: true);
    }

    /// <summary>The discovery Akka's bootstrap gets on a node in a pod: <c>akka.discovery.method</c> as the host configures it.</summary>
    private ServiceDiscovery Discovery()
    {
        var environment = new Dictionary<string, string?>
        {
            ["KUBERNETES_SERVICE_HOST"] = _api.Url.Host,
            ["KUBERNETES_SERVICE_PORT"] = _api.Url.Port.ToString(),
        };
        var settings = KubernetesApiSettings.FromEnvironment(new BootstrapOptions { Discovery = "kubernetes" }, environment.GetValueOrDefault, _serviceAccount);
        _system = ActorSystem.Create("pods", ConfigurationFactory.ParseString(settings.ToHocon()));
        return Akka.Discovery.Discovery.Get(_system).Default;
    }

    private static Task<ServiceDiscovery.Resolved> LookupAsync(ServiceDiscovery discovery) =>
        discovery.Lookup(new Lookup("quotes", ClusterBootstrapExtensions.PortName, "tcp"), TimeSpan.FromSeconds(10));

    /// <summary>A pod as the API lists it (the fields discovery reads, and some it does not).</summary>
    private static string Pod(string name, string phase, string? ip, bool terminating = false)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = "akkaquotes" } };
        if (terminating) metadata["deletionTimestamp"] = "2026-11-30T10:00:00Z";
        var status = new JsonObject { ["phase"] = phase };
        if (ip is not null)
        {
            status["podIP"] = ip;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
        }
        var ports = new JsonArray(new JsonObject { ["name"] = "management", ["containerPort"] = 8558 });
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "quotes", ["ports"] = ports }) };
        return new JsonObject { ["metadata"] = metadata, ["spec"] = spec, ["status"] = status }.ToJsonString();
    }

    [Fact]
    public async Task Running_pods_become_contact_points_at_the_management_port_and_the_other_pods_are_skipped()
    {
        _api.Answer = _ => (200, $$"""
            {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"42"},"items":[
              {{Pod("quotes-a", "Running", "10.1.0.11")}},
              {{Pod("quotes-b", "Pending", null)}},
              {{Pod("quotes-c", "Pending", "10.1.0.13")}},
              {{Pod("quotes-d", "Running", "10.1.0.14", terminating: true)}},
              {{Pod("quotes-e", "Failed", "10.1.0.15")}},
              {{Pod("quotes-f", "Running", "10.1.0.16")}}]}
            """);
        var discovery = Discovery();

        var resolved = await LookupAsync(discovery);

        Assert.IsType<KubernetesPodDiscovery>(discovery);
        Assert.Equal("quotes", resolved.ServiceName);
        Assert.Equal(
            [new ServiceDiscovery.ResolvedTarget("10.1.0.11", 8558, IPAddress.Parse("10.1.0.11")), new ServiceDiscovery.ResolvedTarget("10.1.0.16", 8558, IPAddress.Parse("10.1.0.16"))],
            resolved.Addresses);
        // The pods of this namespace and label only, asked with the service account's token.
        var (request, authorised) = Assert.Single(_api.Requests);
        Assert.Equal($"/api/v1/namespaces/{Namespace}/pods?labelSelector=app%3Dakkaquotes", request);
        Assert.True(authorised);
    }

    [Fact]
    public async Task The_token_is_read_again_at_every_lookup_so_a_rotated_one_is_used()
    {
        var discovery = Discovery();
        await LookupAsync(discovery);

        _api.Token = "rotated-token";
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "token"), "rotated-token");
        await LookupAsync(discovery);

        Assert.Equal([true, true], _api.Requests.Select(r => r.Authorised));
    }

    [Fact]
    public async Task A_refused_token_fails_the_lookup_with_the_status_and_what_it_means()
    {
        _api.Token = "another-token";
        var discovery = Discovery();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => LookupAsync(discovery));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.StartsWith($"Kubernetes API GET {_api.Url}api/v1/namespaces/{Namespace}/pods?labelSelector=app%3Dakkaquotes answered 401", error.Message);
        Assert.Contains("the service-account token was refused", error.Message);
    }

    [Fact]
    public async Task A_service_account_without_the_right_to_list_pods_fails_the_lookup_with_the_API_s_own_reason()
    {
        const string reason = "pods is forbidden: User \\\"system:serviceaccount:market-data:default\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"market-data\\\"";
        _api.Answer = _ => (403, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{reason}}","reason":"Forbidden","code":403}""");
        var discovery = Discovery();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => LookupAsync(discovery));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("answered 403 Forbidden: pods is forbidden: User \"system:serviceaccount:market-data:default\" cannot list resource \"pods\"", error.Message);
        Assert.Contains("needs a Role allowing get and list on pods", error.Message);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_pod_list_fails_the_lookup()
    {
        _api.Answer = _ => (200, "<html>proxy error</html>");
        var discovery = Discovery();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => LookupAsync(discovery));

        Assert.Contains("answered something that is not a pod list", error.Message);
    }

    [Fact]
    public async Task A_server_whose_certificate_the_service_account_CA_did_not_sign_gets_no_request_and_no_token()
    {
        using var stranger = FakeKubernetesApi.CreateCa("some-other-ca");
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "ca.crt"), stranger.ExportCertificatePem());
        var discovery = Discovery();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => LookupAsync(discovery));

        Assert.StartsWith($"Kubernetes API GET {_api.Url}api/v1/namespaces/{Namespace}/pods", error.Message);
        Assert.Contains("SSL", error.Message);
        Assert.Empty(_api.Requests);
    }
}
