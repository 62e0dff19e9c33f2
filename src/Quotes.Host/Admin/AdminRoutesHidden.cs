using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Quotes.Host.Auth;

namespace Quotes.Host.Admin;

/// <summary>
/// The OpenAPI document describes the operator's routes (tag <c>admin</c>) only to a caller holding the admin key: to anyone
/// else they are a map of what to attack, and of no use. The schemas only those routes use (the cluster and wire reports)
/// go with them.
/// </summary>
public sealed class AdminRoutesHidden(IHttpContextAccessor http, AdminKey admin, ClientKeys clients, FailedAuthThrottle throttle) : IOpenApiDocumentTransformer
{
    public const string Tag = "admin";

    private const string SchemaReference = "#/components/schemas/";

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
        DropSchemasNothingReaches(document);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Keeps the component schemas the remaining document reaches through <c>$ref</c>, directly or through other schemas,
    /// and drops the rest. Read from the document's own JSON, so every place a reference can sit is covered.
    /// </summary>
    private static void DropSchemasNothingReaches(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { Count: > 0 } schemas) return;
        using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        using var json = JsonDocument.Parse(text.ToString());
        var root = json.RootElement;
        var definitions = root.GetProperty("components").GetProperty("schemas");

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonElement>();
        foreach (var part in root.EnumerateObject().Where(p => p.Name != "components")) pending.Push(part.Value);
        foreach (var part in root.GetProperty("components").EnumerateObject().Where(p => p.Name != "schemas")) pending.Push(part.Value);
        while (pending.TryPop(out var element))
        {
            if (element.ValueKind == JsonValueKind.Array)
                foreach (var item in element.EnumerateArray()) pending.Push(item);
            if (element.ValueKind != JsonValueKind.Object) continue;
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "$ref" && property.Value.GetString() is { } target && target.StartsWith(SchemaReference, StringComparison.Ordinal))
                {
                    var name = target[SchemaReference.Length..];
                    if (reached.Add(name) && definitions.TryGetProperty(name, out var definition)) pending.Push(definition);
                }
                else pending.Push(property.Value);
            }
        }
        foreach (var name in schemas.Keys.Where(n => !reached.Contains(n)).ToList()) schemas.Remove(name);
    }
}
