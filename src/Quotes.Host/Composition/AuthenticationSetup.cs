using Microsoft.AspNetCore.Authentication;
using Quotes.Host.Auth;

namespace Quotes.Host.Composition;

/// <summary>
/// Keys as ASP.NET authentication schemes and the two policies route groups require: <c>client</c> (a client key) and
/// <c>admin</c> (the operator key, from a header). No default scheme: a request is authenticated only on a route whose
/// policy asks for it, so health probes, the dashboard's files and the Polygon socket never touch the failed-auth throttle.
/// </summary>
public static class AuthenticationSetup
{
    public static void AddQuotesAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(QuotesAuth.ClientKeyScheme, _ => { })
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(QuotesAuth.AdminKeyScheme, options => options.Admin = true)
            .AddPolicyScheme(QuotesAuth.ClientScheme, "client key", options => options.ForwardDefault = QuotesAuth.ClientKeyScheme);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(QuotesAuth.ClientPolicy, policy => policy.AddAuthenticationSchemes(QuotesAuth.ClientScheme).RequireAuthenticatedUser())
            .AddPolicy(QuotesAuth.AdminPolicy, policy => policy.AddAuthenticationSchemes(QuotesAuth.AdminKeyScheme).RequireAuthenticatedUser());
    }
}
