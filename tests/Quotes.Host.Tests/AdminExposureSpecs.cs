using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>The operator's routes are invisible to anonymous callers and open only to the admin key sent in a header.</summary>
public sealed class AdminExposureSpecs : IAsyncLifetime
{
    private const string AdminKey = "exposure-spec-admin-key";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_OpenAPI_document_describes_admin_routes_only_to_the_admin()
    {
        using var http = _server.CreateHttpClient();
        var anonymous = await PathsAsync(http, key: null);
        var client = await PathsAsync(http, QuotesServer.ClientKey);
        var admin = await PathsAsync(http, AdminKey);

        Assert.Contains("/api/market/quotes", anonymous);
        Assert.DoesNotContain(anonymous, p => p.StartsWith("/admin", StringComparison.Ordinal));
        Assert.DoesNotContain(client, p => p.StartsWith("/admin", StringComparison.Ordinal));
        Assert.Contains("/admin/cluster", admin);
        Assert.Contains("/admin/wire", admin);
    }

    [Fact]
    public async Task The_OpenAPI_document_leaves_out_the_schemas_only_admin_routes_use_for_anyone_but_the_admin()
    {
        using var http = _server.CreateHttpClient();
        var anonymous = await DocumentAsync(http, key: null);
        var client = await DocumentAsync(http, QuotesServer.ClientKey);
        var admin = await DocumentAsync(http, AdminKey);

        string[] adminOnly = ["ClusterReport", "ClusterMember", "NodeReport", "NodeBacklog", "WireReport", "WireCount"];
        foreach (var schema in adminOnly)
        {
            Assert.Contains(schema, SchemaNames(admin));
            Assert.DoesNotContain(schema, SchemaNames(anonymous));
            Assert.DoesNotContain(schema, SchemaNames(client));
            Assert.DoesNotContain(schema, anonymous, StringComparison.Ordinal);
        }
        Assert.Contains("/admin", admin, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin", anonymous, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/admin", client, StringComparison.OrdinalIgnoreCase);

        // What the remaining routes use stays, through references within references too (a quote inside a list answer).
        Assert.Contains("RestError", SchemaNames(anonymous));
        var references = System.Text.RegularExpressions.Regex.Matches(anonymous, "#/components/schemas/([^\"]+)").Select(m => m.Groups[1].Value);
        Assert.All(references, name => Assert.Contains(name, SchemaNames(anonymous)));
    }

    [Fact]
    public async Task The_admin_key_is_accepted_from_a_header_only_never_from_the_URL()
    {
        using var http = _server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/admin/cluster?apiKey={AdminKey}")).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/admin/wire");
        header.Headers.Add("X-API-Key", AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(header)).StatusCode);
    }

    private static async Task<List<string>> PathsAsync(HttpClient http, string? key)
    {
        using var doc = JsonDocument.Parse(await DocumentAsync(http, key));
        return doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
    }

    private static async Task<string> DocumentAsync(HttpClient http, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static List<string> SchemaNames(string document)
    {
        using var doc = JsonDocument.Parse(document);
        return doc.RootElement.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var schemas)
            ? schemas.EnumerateObject().Select(s => s.Name).ToList()
            : [];
    }
}
