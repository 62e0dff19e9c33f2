using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Quotes.Host.Auth;

namespace Quotes.Host.Admin;

/// <summary>
/// The OpenAPI document describes the operator's routes (tag <c>admin</c>) only to a caller holding the admin key: to anyone
/// else they are a map of what to attack, and of no use.
/// </summary>
public sealed class AdminRoutesHidden(IHttpContextAccessor http, AdminKey admin) : IOpenApiDocumentTransformer
{
    public const string Tag = "admin";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Request is { } request && admin.Authorizes(request)) return Task.CompletedTask;
        foreach (var (path, item) in document.Paths.ToList())
        {
            if (item.Operations is { } operations && operations.Values.Any(o => o.Tags?.Any(t => t.Name == Tag) == true))
                document.Paths.Remove(path);
        }
        foreach (var tag in document.Tags?.Where(t => t.Name == Tag).ToList() ?? []) document.Tags!.Remove(tag);
        return Task.CompletedTask;
    }
}
