using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Quotes.Host.Auth;

/// <summary>Which key an <see cref="ApiKeyHandler"/> scheme checks.</summary>
public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// True: the operator key (<c>Admin:ApiKey</c>), from a header only: a key in a URL ends up in proxy logs, browser
    /// history and Referer headers. False: the client keys (<c>Auth:ApiKeys</c>), from a header or <c>?apiKey=</c>, which is
    /// all a browser's WebSocket can send.
    /// </summary>
    public bool Admin { get; set; }
}

/// <summary>
/// API keys as an ASP.NET authentication scheme. Checking a key never counts against the address by itself: the failure is
/// counted (<see cref="FailedAuthThrottle"/>) when a route that needs the key refuses the request, in
/// <see cref="HandleChallengeAsync"/>, which also writes the protocol's error body (<see cref="AuthRefusals"/>). An address
/// past its failures is refused before its key is looked at, so a guess that happens to be right is worth nothing.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ClientKeys clients, AdminKey admin, FailedAuthThrottle throttle) : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    private AuthRefusal _refusal = AuthRefusal.Missing;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(Authenticate());

    private AuthenticateResult Authenticate()
    {
        if (Options.Admin && !admin.Enabled) return Refused(AuthRefusal.Disabled);
        if (throttle.IsBlocked(Context.Connection.RemoteIpAddress)) return Refused(AuthRefusal.Blocked);
        var key = Options.Admin ? ApiKeyValidator.HeaderKeyOf(Request) : ApiKeyValidator.KeyOf(Request);
        if (string.IsNullOrEmpty(key)) return Refused(AuthRefusal.Missing);
        ClaimsIdentity? identity = Options.Admin
            ? admin.IsValid(key) ? new ClaimsIdentity([new Claim(ClaimTypes.Role, QuotesAuth.AdminPolicy)], Scheme.Name) : null
            : clients.IdentityOf(key)?.ToClaims(Scheme.Name);
        return identity is null
            ? Refused(AuthRefusal.Invalid)
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private AuthenticateResult Refused(AuthRefusal refusal)
    {
        _refusal = refusal;
        // The message is for ASP.NET's debug log: it names the reason, never the key.
        return refusal == AuthRefusal.Missing ? AuthenticateResult.NoResult() : AuthenticateResult.Fail($"key refused: {refusal}");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        // A missing key counts as a failed attempt, as a wrong one does, except on the Polygon façade's relay, where a
        // Polygon program's first call without a key is answered as Polygon answers it.
        if (_refusal == AuthRefusal.Invalid || (_refusal == AuthRefusal.Missing && !Request.Path.StartsWithSegments("/polygon")))
            throttle.Failed(Context.Connection.RemoteIpAddress);
        var refusal = Options.Admin ? AuthRefusals.Admin(_refusal, Context, throttle) : AuthRefusals.Client(_refusal, Context, throttle);
        await refusal.ExecuteAsync(Context);
    }
}
