using System.Security.Cryptography.X509Certificates;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Mutual TLS for Akka remoting, bound from <c>Akka:Tls</c>. Every node presents <see cref="CertificatePath"/> and accepts a
/// peer only if its certificate is one of <see cref="TrustedThumbprints"/> (default: this node's own certificate, so a
/// cluster that shares one certificate admits its own nodes and nobody else). Pinning by thumbprint works with a
/// self-signed certificate and needs no CA; host names are not checked, because nodes are reached by IP as often as by name.
/// </summary>
public sealed class RemotingTlsOptions
{
    /// <summary>A PKCS#12 (.pfx) file holding the certificate and its private key. Empty: remoting is plain TCP.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>SHA-1 thumbprints of the certificates peers may present (to roll a certificate, list the old and the new).</summary>
    public string[] TrustedThumbprints { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Loads the certificate; a missing or unreadable file stops the node at start with the reason.</summary>
    public X509Certificate2 LoadCertificate()
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"Akka:Tls:CertificatePath: cannot load a PKCS#12 certificate from {CertificatePath}: {e.Message}", e);
        }
    }

    /// <summary>The peers' certificates this node accepts: the configured list, or else its own.</summary>
    public string[] EffectiveThumbprints(X509Certificate2 own) =>
        TrustedThumbprints.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).DefaultIfEmpty(own.Thumbprint).ToArray();
}
