using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Quotes.Host.Auth;

namespace Quotes.Host.Admin;

/// <summary>
/// The OpenAPI document describes the operator's routes (tag <c>admin</c>) only to a caller holding the admin key: to anyone
/// else they are a map of what to attack, and of no use.
/// </summary>
public sealed class AdminRoutesHidden(IHttpContextAccessor http, AdminKey admin, ClientKeys clients, FailedAuthThrottle throttle) : IOpenApiDocumentTransformer
{
    public const string Tag = "admin";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (http.HttpContext is { } caller && ApiKeyValidator.HeaderKeyOf(caller.Request) is { Length: > 0 } key)
        {
            // A key in a header makes this document an oracle for the admin key: a key that is neither the admin's nor a
            // client's counts as a failed authentication, and a blocked address is shown the client routes only.
            var address = caller.Connection.RemoteIpAddress;
            var blocked = throttle.IsBlocked(address);
            if (!blocked && admin.IsValid(key)) return Task.CompletedTask;
            if (!blocked && !clients.IsValid(key) && !admin.IsValid(key)) throttle.Failed(address);
        }
        foreach (var (path, item) in document.Paths.ToList())
        {
            if (item.Operations is { } operations && operations.Values.Any(o => o.Tags?.Any(t => t.Name == Tag) == true))
                document.Paths.Remove(path);
        }
        foreach (var tag in document.Tags?.Where(t => t.Name == Tag).ToList() ?? []) document.Tags!.Remove(tag);
        return Task.CompletedTask;
    }
}
