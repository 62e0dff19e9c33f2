using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Quotes.Host.Tests.Bootstrap;

/// <summary>
/// A stand-in for the Kubernetes API server: Kestrel on 127.0.0.1:0 over TLS, with a certificate signed by a CA of its
/// own (what a pod finds as its service account's <c>ca.crt</c>), answering <c>GET /api/v1/namespaces/{ns}/pods</c>
/// only with the expected bearer token, as the real one does.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubernetesApi(WebApplication app, X509Certificate2 ca, Uri url)
    {
        _app = app;
        Ca = ca;
        Url = url;
    }

    public X509Certificate2 Ca { get; }
    public Uri Url { get; }

    /// <summary>The token the server accepts; another one gets 401, as from the real API.</summary>
    public string Token { get; set; } = "service-account-token";

    /// <summary>What an authorised request is answered with: status code and body.</summary>
    public Func<HttpRequest, (int Status, string Body)> Answer { get; set; } = _ => (200, """{"kind":"PodList","items":[]}""");

    /// <summary>Every request that reached the server: path and query, and whether its token was accepted.</summary>
    public ConcurrentQueue<(string PathAndQuery, bool Authorised)> Requests { get; } = new();

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var ca = CreateCa("fake-kubernetes-ca");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(CreateServerCertificate(ca))));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        FakeKubernetesApi? api = null;
        app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext context) =>
        {
            var authorised = context.Request.Headers.Authorization == $"Bearer {api!.Token}";
            api.Requests.Enqueue((context.Request.Path + context.Request.QueryString, authorised));
            var (status, body) = authorised
                ? api.Answer(context.Request)
                : (401, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""");
            return Results.Content(body, "application/json", statusCode: status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api = new FakeKubernetesApi(app, ca, new Uri(address));
        return api;
    }

    /// <summary>A CA certificate (with its key), as a cluster's own CA.</summary>
    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 CreateServerCertificate(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 so that the key is one TLS can use, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Ca.Dispose();
    }
}
