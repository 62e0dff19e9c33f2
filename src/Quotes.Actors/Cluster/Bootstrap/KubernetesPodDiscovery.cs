using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.Discovery;

namespace Quotes.Actors.Cluster.Bootstrap;

/// <summary>
/// Contact points for cluster bootstrap from the Kubernetes API: the running pods of this deployment (by label) with
/// the management port. Akka.Discovery.KubernetesApi would do this, but the version that matches Akka 1.5.73 needs a
/// KubernetesClient the package feed does not serve, and fails at the first lookup with the ones it does; one GET with
/// the service account's token is all it takes. Akka creates it from <c>akka.discovery.kubernetes-pods</c>
/// (<see cref="KubernetesApiSettings.ToHocon"/>).
/// </summary>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    private readonly KubernetesApiSettings _settings;
    private readonly HttpClient _http;

    public KubernetesPodDiscovery(ExtendedActorSystem system)
        : this(KubernetesApiSettings.FromConfig(system.Settings.Config.GetConfig("akka.discovery." + KubernetesApiSettings.Method)))
    {
    }

    public KubernetesPodDiscovery(KubernetesApiSettings settings)
    {
        _settings = settings;
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = SignedBy(LoadCa(settings.CaFile)) } });
    }

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        var uri = _settings.PodsUri;
        var (status, reason, body) = await GetAsync(uri, resolveTimeout);
        if (status is < 200 or > 299)
            throw new HttpRequestException($"Kubernetes API GET {uri} answered {status} {reason}: {StatusMessage(body)}{Hint(status)}",
                null, (System.Net.HttpStatusCode)status);
        PodList? pods;
        try
        {
            pods = JsonSerializer.Deserialize(body, PodListJsonContext.Default.PodList);
        }
        catch (JsonException e)
        {
            throw new HttpRequestException($"Kubernetes API GET {uri} answered something that is not a pod list: {e.Message}", e);
        }
        return new Resolved(lookup.ServiceName, (pods ?? new PodList([])).ContactPoints(_settings.ManagementPort));
    }

    private async Task<(int Status, string? Reason, string Body)> GetAsync(Uri uri, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            // Read at every lookup: Kubernetes replaces a projected token well before it expires.
            request.Headers.Authorization = new("Bearer", (await File.ReadAllTextAsync(_settings.TokenFile, cancel.Token)).Trim());
            using var response = await _http.SendAsync(request, cancel.Token);
            return ((int)response.StatusCode, response.ReasonPhrase, await response.Content.ReadAsStringAsync(cancel.Token));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"Kubernetes API GET {uri} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            var cause = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            throw new HttpRequestException($"Kubernetes API GET {uri} failed: {cause}", e);
        }
    }

    /// <summary>The API's own explanation (a <c>Status</c> object's <c>message</c>), else the start of the body.</summary>
    private static string StatusMessage(string body)
    {
        try
        {
            using var status = JsonDocument.Parse(body);
            if (status.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text) return text;
        }
        catch (JsonException)
        {
        }
        return body.Length > 300 ? body[..300] + "…" : body;
    }

    private static string Hint(int status) => status switch
    {
        401 => " (the service-account token was refused)",
        403 => " (the service account needs a Role allowing get and list on pods, bound to it)",
        _ => "",
    };

    private static X509Certificate2Collection LoadCa(string file)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(file);
        return ca;
    }

    /// <summary>The API server must present a certificate for its name that chains to the service account's CA, and only to it.</summary>
    private static RemoteCertificateValidationCallback SignedBy(X509Certificate2Collection ca) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };
}
