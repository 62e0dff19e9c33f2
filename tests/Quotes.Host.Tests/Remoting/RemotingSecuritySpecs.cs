using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Remoting;

/// <summary>
/// The cluster port is not open to the world by default, and with <c>Akka:Tls</c> only nodes holding the pinned
/// certificate get in: real nodes on loopback, a real TLS client as the intruder.
/// </summary>
public sealed class RemotingSecuritySpecs : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("quotes-tls-").FullName;
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartSimulatorAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task With_seeds_and_no_bind_address_remoting_listens_on_the_public_host_only_not_on_every_interface()
    {
        // 127.0.0.2 is another loopback address: a socket bound to 0.0.0.0 accepts it, one bound to 127.0.0.1 does not.
        var bound = await StartUnjoinedNodeAsync(hostname: null);
        var everywhere = await StartUnjoinedNodeAsync(hostname: "0.0.0.0");

        Assert.True(await TcpProbe.AcceptsAsync(IPAddress.Loopback, RemotingPort(bound)), "the public host's interface must accept");
        Assert.False(await TcpProbe.AcceptsAsync(IPAddress.Parse("127.0.0.2"), RemotingPort(bound)), "bound to all interfaces by default");
        Assert.True(await TcpProbe.AcceptsAsync(IPAddress.Parse("127.0.0.2"), RemotingPort(everywhere)),
            "Akka:Hostname=0.0.0.0 set explicitly must still bind every interface (the probe above could not fail otherwise)");
    }

    [Fact]
    public async Task Nodes_sharing_the_pinned_certificate_form_a_cluster_over_TLS_and_a_stranger_certificate_is_refused()
    {
        var shared = WriteCertificate("cluster.pfx", "CN=akkaquotes-cluster");
        var first = await _cluster.AddNodeWithAsync(TlsSettings(shared));
        Assert.StartsWith("akka.ssl.tcp://", first.AkkaAddress);
        // The seed written as the docs show seeds, in the plain scheme: the node takes it as the same node over TLS.
        var second = await _cluster.AddNodeWithAsync(TlsSettings(shared), seed: first.AkkaAddress.Replace("akka.ssl.tcp://", "akka.tcp://"));
        await _cluster.WaitForUpMembersAsync(second, 2);
        await _cluster.WaitForUpMembersAsync(first, 2);

        using var stranger = X509CertificateLoader.LoadPkcs12FromFile(WriteCertificate("stranger.pfx", "CN=intruder"), Password);
        var refusal = await TryTlsSessionAsync(RemotingPort(first), stranger);
        Assert.NotNull(refusal);

        // Control: the node's own certificate gets through the same handshake, so the refusal above is the pin at work.
        using var member = X509CertificateLoader.LoadPkcs12FromFile(shared, Password);
        Assert.Null(await TryTlsSessionAsync(RemotingPort(first), member));
    }

    [Fact]
    public async Task An_unreadable_certificate_stops_the_node_at_start_with_the_setting_named()
    {
        var settings = TlsSettings(Path.Combine(_directory, "missing.pfx"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => _cluster.AddNodeWithAsync(settings));
        Assert.Contains("Akka:Tls:CertificatePath", Flatten(error));
    }

    private const string Password = "test-password";

    private Dictionary<string, string?> TlsSettings(string certificate) => new()
    {
        ["Akka:Tls:CertificatePath"] = certificate,
        ["Akka:Tls:CertificatePassword"] = Password,
    };

    private async Task<QuotesServer> StartUnjoinedNodeAsync(string? hostname)
    {
        // A seed nobody answers: the node keeps trying to join, and its remoting port is bound meanwhile.
        var settings = _cluster.Settings("akka.tcp://quotes@127.0.0.1:1");
        settings.Remove("Akka:Hostname");
        if (hostname is not null) settings["Akka:Hostname"] = hostname;
        var node = await QuotesServer.StartHostAsync(settings, _cluster.Simulator, waitUntilReady: false);
        _cluster.Nodes.Add(node);
        return node;
    }

    private static int RemotingPort(QuotesServer node) => Akka.Cluster.Cluster.Get(node.System).SelfAddress.Port!.Value;

    /// <summary>
    /// A TLS session with the remoting port presenting <paramref name="certificate"/>: null if the node kept it open (it
    /// waits for Akka's handshake), otherwise how it was refused. TLS 1.3 reports a refused client certificate after the
    /// client's side of the handshake, so the refusal may show on the first read instead.
    /// </summary>
    private static async Task<string?> TryTlsSessionAsync(int port, X509Certificate2 certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "akkaquotes",
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            // Akka speaks only after our association request; a refused peer gets an alert or a close instead.
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var read = await tls.ReadAsync(new byte[16], quiet.Token);
            return read == 0 ? "closed after the handshake" : null;
        }
        catch (OperationCanceledException)
        {
            return null; // still open and waiting: accepted
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private string WriteCertificate(string name, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client auth
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
