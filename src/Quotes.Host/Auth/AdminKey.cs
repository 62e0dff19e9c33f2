using Quotes.Contracts;

namespace Quotes.Host.Auth;

/// <summary>The operator key (<c>Admin:ApiKey</c>). Without one, admin endpoints are disabled rather than open.</summary>
public sealed class AdminKey(IConfiguration configuration)
{
    private readonly ApiKeyValidator? _validator = configuration["Admin:ApiKey"] is { Length: > 0 } key
        ? new ApiKeyValidator(new AuthOptions { ApiKeys = [key] })
        : null;

    public bool Enabled => _validator is not null;
    public bool IsValid(string? key) => _validator?.IsValid(key) == true;

    /// <summary>Whether <paramref name="request"/> carries the admin key in a header.</summary>
    public bool Authorizes(HttpRequest request) => IsValid(ApiKeyValidator.HeaderKeyOf(request));
}

/// <summary>Admin endpoints (and <c>/metrics</c> on the main port) accept only the admin key, only from a header: 403 while none is configured, 401 for anything else.</summary>
public static class AdminKeyFilter
{
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => Refusal(context.HttpContext) ?? await next(context));

    /// <summary>The same rule as middleware, for endpoints that are not route handlers (e.g. <c>/metrics</c>'s branch).</summary>
    public static IApplicationBuilder RequireAdminKey(this IApplicationBuilder branch) =>
        branch.Use(async (context, next) =>
        {
            if (Refusal(context) is { } refused) await refused.ExecuteAsync(context);
            else await next(context);
        });

    /// <summary>The response refusing <paramref name="context"/>; null when it carries the admin key.</summary>
    private static IResult? Refusal(HttpContext context)
    {
        var admin = context.RequestServices.GetRequiredService<AdminKey>();
        if (!admin.Enabled)
            return Results.Json(new RestError("admin endpoints are disabled: set Admin:ApiKey", ErrorCodes.Unauthorized), QuotesJsonContext.Default.RestError, statusCode: 403);
        var throttle = context.RequestServices.GetRequiredService<FailedAuthThrottle>();
        return throttle.Check(context.Connection.RemoteIpAddress, ApiKeyValidator.HeaderKeyOf(context.Request), admin.IsValid) switch
        {
            FailedAuthThrottle.Verdict.Blocked => throttle.Refusal(context.Response),
            FailedAuthThrottle.Verdict.Valid => null,
            _ => Results.Json(new RestError("the admin key is required in a header (Authorization: Bearer or X-API-Key)", ErrorCodes.Unauthorized),
                QuotesJsonContext.Default.RestError, statusCode: 401),
        };
    }
}
