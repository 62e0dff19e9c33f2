using Microsoft.AspNetCore.Authentication;
using Quotes.Host.Auth;

namespace Quotes.Host.Composition;

/// <summary>
/// Keys as ASP.NET authentication schemes and the two policies route groups require: <c>client</c> (a client key, or a
/// bearer token where <c>Auth:Jwt</c> is configured) and <c>admin</c> (the operator key, from a header). No default scheme:
/// a request is authenticated only on a route whose policy asks for it, so health probes, the dashboard's files and the
/// Polygon socket never touch the failed-auth throttle.
/// </summary>
public static class AuthenticationSetup
{
    public static JwtOptions AddQuotesAuthentication(this WebApplicationBuilder builder)
    {
        var jwt = builder.AddSettingsNow<JwtOptions>("Auth:Jwt", o => o.Problems());

        var authentication = builder.Services.AddAuthentication()
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(QuotesAuth.ClientKeyScheme, _ => { })
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(QuotesAuth.AdminKeyScheme, options => options.Admin = true)
            .AddPolicyScheme(QuotesAuth.ClientScheme, "client key or bearer token", options => options.ForwardDefaultSelector = context =>
                jwt.Enabled && JwtClients.IsToken(ApiKeyValidator.KeyOf(context.Request)) ? JwtClients.Scheme : QuotesAuth.ClientKeyScheme);
        if (jwt.Enabled) authentication.AddJwtBearer(JwtClients.Scheme, options => JwtClients.Configure(options, jwt));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(QuotesAuth.ClientPolicy, policy => policy.AddAuthenticationSchemes(QuotesAuth.ClientScheme).RequireAuthenticatedUser())
            .AddPolicy(QuotesAuth.AdminPolicy, policy => policy.AddAuthenticationSchemes(QuotesAuth.AdminKeyScheme).RequireAuthenticatedUser());
        return jwt;
    }
}
