namespace Quotes.Host.Auth;

/// <summary>
/// Bearer tokens from a web app with its own sign-in (<c>Auth:Jwt</c>), accepted beside the client keys wherever a client key
/// is: off unless <see cref="Authority"/> or <see cref="SigningKey"/> is set. With an authority, its OpenID Connect metadata
/// gives the issuer and the signing keys; without one (offline, tests), <see cref="Issuer"/> and a symmetric
/// <see cref="SigningKey"/> do. The audience is always checked.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The shortest symmetric key accepted: HS256 wants 256 bits.</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>The token issuer's base URL (its <c>/.well-known/openid-configuration</c> is read).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> a token must carry: this server's name at the issuer.</summary>
    public string? Audience { get; set; }

    /// <summary>The <c>iss</c> a token must carry when <see cref="SigningKey"/> is used instead of an authority.</summary>
    public string? Issuer { get; set; }

    /// <summary>A shared HMAC key, base64, at least <see cref="MinSigningKeyBytes"/> bytes: for a setup without an authority.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The authority must be https unless this is false (a local issuer in development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How far the issuer's clock may be from this server's: a token is refused once this long past its <c>exp</c> (and
    /// accepted this long before its <c>nbf</c>). ASP.NET Core's default is 5 minutes; an expired token should stop
    /// working sooner than that.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <see cref="ClockSkew"/> accepted.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>The signing key's bytes; null when it is not base64.</summary>
    public byte[]? SigningKeyBytes()
    {
        var bytes = new byte[((SigningKey?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(SigningKey ?? "", bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>What is wrong with these settings, each naming its setting and never a key; empty when none.</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        if (!Enabled) return problems;
        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew) problems.Add($"Auth:Jwt:ClockSkew must be between 0 and {MaxClockSkew}; it is {ClockSkew}");
        if (string.IsNullOrWhiteSpace(Audience)) problems.Add("Auth:Jwt:Audience is required when Auth:Jwt is configured");
        if (!string.IsNullOrWhiteSpace(Authority))
        {
            if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)) problems.Add("Auth:Jwt:Authority must be an absolute URL");
            else if (RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)
                problems.Add("Auth:Jwt:Authority must use https (or set Auth:Jwt:RequireHttpsMetadata=false for a local issuer)");
        }
        if (!string.IsNullOrWhiteSpace(SigningKey))
        {
            if (SigningKeyBytes() is not { Length: >= MinSigningKeyBytes })
                problems.Add($"Auth:Jwt:SigningKey must be base64 of at least {MinSigningKeyBytes} random bytes (e.g. `openssl rand -base64 32`)");
            if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(Issuer))
                problems.Add("Auth:Jwt:Issuer is required with Auth:Jwt:SigningKey when there is no Auth:Jwt:Authority");
        }
        return problems;
    }
}
