using System.Security.Cryptography;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Quotes.Actors.Cluster;
using Quotes.Actors.Sessions;
using Quotes.Contracts.Polygon;
using Quotes.Host.Auth;
using Quotes.Host.WebSockets;

namespace Quotes.Host.Composition;

/// <summary>Reads the client keys; generates one when none is configured so that <c>dotnet run</c> just works.</summary>
public static class AuthSetup
{
    public static AuthOptions AddClientKeys(this WebApplicationBuilder builder, AkkaNodeOptions node)
    {
        var keys = KeysIn(builder.Configuration);

        if (keys.Length == 0 && !node.Standalone)
            throw new InvalidOperationException(
                "Auth:ApiKeys is required on a node that joins a cluster (Akka:Seeds or Akka:Bootstrap is set): each node would otherwise generate a key of its own, and a client's key would work on one node only");
        if (ShortKeys("Auth:ApiKeys", keys).FirstOrDefault() is { } tooShort) throw new InvalidOperationException(tooShort);
        var options = keys.Length > 0
            ? new AuthOptions { ApiKeys = keys }
            : new AuthOptions { ApiKeys = [Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()], Generated = true };
        builder.Services.AddSingleton(options); // as at start: the banner and the budget replication read it
        // What Auth:ApiKeys says now, after any reload (ClientKeys follows it).
        builder.Services.AddOptions<AuthOptions>().Configure<IConfiguration>((current, configuration) =>
        {
            current.ApiKeys = KeysIn(configuration);
            current.Generated = options.Generated && current.ApiKeys.Length == 0;
        });
        builder.Services.AddSingleton<IOptionsChangeTokenSource<AuthOptions>>(new ConfigurationChangeTokenSource<AuthOptions>(builder.Configuration));
        builder.Services.AddSingleton<ClientKeys>();
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddOptions<FailedAuthOptions>().BindConfiguration(FailedAuthOptions.Section).ValidateProblems(o => o.Problems()).ValidateOnStart();
        builder.Services.AddSingleton<FailedAuthThrottle>();
        builder.Services.AddOptions<ConnectionLimitOptions>().BindConfiguration(ConnectionLimitOptions.Section).ValidateProblems(o => o.Problems()).ValidateOnStart();
        builder.Services.AddSingleton<ConnectionLimiter>();
        builder.Services.AddOptions<SymbolBudgetOptions>().BindConfiguration(SymbolBudgetOptions.Section).ValidateProblems(o => o.Problems()).ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var budget = services.GetRequiredService<IOptions<SymbolBudgetOptions>>().Value;
            return new KeySymbolBudget(budget.MaxSymbolsPerKey, budget.NewSymbolsPerKeyPerMinute);
        });
        builder.Services.AddOptions<CorsOriginOptions>().BindConfiguration(CorsOriginOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<OriginPolicy>();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<OriginPolicy>((cors, origins) => cors.AddPolicy(OriginPolicy.CorsPolicy, policy =>
            // Retry-After (429, 503) and X-Simulated are not headers a browser shows a page of another origin unless exposed.
            policy.WithOrigins(origins.Allowed).WithMethods("GET").WithHeaders("Authorization", "X-API-Key")
                .WithExposedHeaders(HeaderNames.RetryAfter, PolygonStatus.SimulatedHeader)));
        return options;
    }

    /// <summary>The operator key (<c>Admin:ApiKey</c>), refused at start when it is too short to resist guessing.</summary>
    public static AdminOptions AddAdminKey(this WebApplicationBuilder builder) =>
        builder.AddSettingsNow<AdminOptions>(AdminOptions.Section, o => ShortKeys("Admin:ApiKey", o.ApiKey is { Length: > 0 } key ? [key] : []));

    /// <summary><c>Auth:ApiKeys</c>: an array (<c>Auth:ApiKeys:0</c>, <c>:1</c>…) or one comma-separated value; blanks dropped.</summary>
    private static string[] KeysIn(IConfiguration configuration) =>
        SettingsValidation.List(configuration, "Auth:ApiKeys", configuration.GetSection("Auth:ApiKeys").Get<string[]>() ?? []);

    /// <summary>The shortest key accepted: 16 characters, beyond guessing at any rate the failed-auth throttle allows.</summary>
    public const int MinKeyLength = 16;

    /// <summary>A key too short to resist guessing stops the start; the problem counts characters and never shows the key.</summary>
    private static IEnumerable<string> ShortKeys(string setting, IEnumerable<string> keys) =>
        keys.Where(k => k.Length < MinKeyLength).Take(1).Select(shortKey =>
            $"{setting}: a key of {shortKey.Length} characters is too short; use at least {MinKeyLength} random characters (e.g. `openssl rand -hex 16`)");
}
