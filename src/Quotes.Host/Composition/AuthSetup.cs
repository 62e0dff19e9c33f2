using System.Security.Cryptography;
using Quotes.Host.Auth;

namespace Quotes.Host.Composition;

/// <summary>Reads the client keys; generates one when none is configured so that <c>dotnet run</c> just works.</summary>
public static class AuthSetup
{
    public static AuthOptions AddClientKeys(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Auth:ApiKeys");
        var keys = section.Get<string[]>() ?? [];
        if (keys.Length == 0 && !string.IsNullOrWhiteSpace(section.Value)) keys = section.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        var options = keys.Length > 0
            ? new AuthOptions { ApiKeys = keys }
            : new AuthOptions { ApiKeys = [Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()], Generated = true };
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddSingleton<Quotes.Host.WebSockets.ConnectionLimiter>();
        builder.Services.AddSingleton(new Quotes.Actors.Sessions.KeySymbolBudget(
            builder.Configuration.GetValue("Limits:MaxSymbolsPerKey", 1_000), builder.Configuration.GetValue("Limits:NewSymbolsPerKeyPerMinute", 1_000)));
        var origins = new OriginPolicy(builder.Configuration);
        builder.Services.AddSingleton(origins);
        builder.Services.AddCors(cors => cors.AddPolicy(OriginPolicy.CorsPolicy, policy =>
            policy.WithOrigins(origins.Allowed).WithMethods("GET").WithHeaders("Authorization", "X-API-Key")));
        return options;
    }
}
