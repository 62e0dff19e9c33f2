using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Quotes.Host.Auth;

/// <summary>
/// Bearer tokens (<see cref="JwtOptions"/>) as a client credential: sent where a key is (<c>Authorization: Bearer</c>,
/// <c>X-API-Key</c>, or <c>?apiKey=</c> for a browser's WebSocket), refused with the same body as a bad key, under the
/// same failed-auth throttle. Each token user (<c>iss</c> and <c>sub</c>) is a client of its own for the per-key limits.
/// </summary>
public static class JwtClients
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    private const string RefusalItem = "quotes:jwt-refusal";

    /// <summary>
    /// Whether a credential is a token rather than a key: a JWS in compact form, three dot-separated parts whose header
    /// starts <c>{"</c> (<c>eyJ</c> in base64url). No key of ours looks like that by chance.
    /// </summary>
    public static bool IsToken(string? credential) =>
        credential is { Length: > 0 } c && c.StartsWith("eyJ", StringComparison.Ordinal) && c.Count(ch => ch == '.') == 2;

    public static void Configure(JwtBearerOptions options, JwtOptions settings)
    {
        options.MapInboundClaims = false; // keep "sub" and "iss" as the token has them
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(settings.Authority)) options.Authority = settings.Authority;
        options.Audience = settings.Audience;
        options.TokenValidationParameters.ValidAudience = settings.Audience;
        options.TokenValidationParameters.ClockSkew = settings.ClockSkew;
        // Checked at start (JwtOptions.Problems): a key set is base64 of at least 32 bytes.
        if (!string.IsNullOrWhiteSpace(settings.SigningKey)) options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(settings.SigningKeyBytes()!);
        if (!string.IsNullOrWhiteSpace(settings.Issuer)) options.TokenValidationParameters.ValidIssuer = settings.Issuer;
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                var throttle = context.HttpContext.RequestServices.GetRequiredService<FailedAuthThrottle>();
                if (throttle.IsBlocked(context.HttpContext.Connection.RemoteIpAddress))
                {
                    context.HttpContext.Items[RefusalItem] = AuthRefusal.Blocked;
                    context.Fail("address blocked after failed authentications");
                    return Task.CompletedTask;
                }
                context.Token = ApiKeyValidator.KeyOf(context.Request);
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var subject = context.Principal?.FindFirst("sub")?.Value;
                var issuer = context.Principal?.FindFirst("iss")?.Value ?? "";
                if (string.IsNullOrEmpty(subject))
                {
                    context.Fail("the token names no subject (sub)");
                    return Task.CompletedTask;
                }
                context.Principal!.AddIdentity(IdentityOf(issuer, subject).ToClaims(Scheme));
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var http = context.HttpContext;
                var throttle = http.RequestServices.GetRequiredService<FailedAuthThrottle>();
                var refusal = http.Items[RefusalItem] is AuthRefusal marked ? marked : AuthRefusal.Invalid;
                if (refusal == AuthRefusal.Invalid) throttle.Failed(http.Connection.RemoteIpAddress);
                await AuthRefusals.Client(refusal, http, throttle).ExecuteAsync(http);
            },
        };
    }

    /// <summary>A token user as a client: its budget id hashes issuer and subject; its log id is a short hash, never the subject (often an e-mail).</summary>
    public static ClientIdentity IdentityOf(string issuer, string subject)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"jwt\n{issuer}\n{subject}")));
        return new ClientIdentity(hash, "token:" + hash[..12].ToLowerInvariant());
    }
}
