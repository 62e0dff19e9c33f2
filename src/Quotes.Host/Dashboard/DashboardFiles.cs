using System.Collections.Concurrent;
using Microsoft.AspNetCore.StaticFiles;

namespace Quotes.Host.Dashboard;

/// <summary>
/// Serves the dashboard (<c>/</c>), the browser client and its React hooks (<c>/js/quotes-client.js</c>,
/// <c>/js/quotes-react.js</c>) and the React example (<c>/examples/react.html</c>) from <c>wwwroot</c> beside the
/// assembly, where the build puts web/public, clients/js/src, examples/ReactWatchlist and the vendored libraries. Public: the page asks for the key itself.
/// </summary>
public static class DashboardFiles
{
    /// <summary>The web root: always the build output's, so <c>dotnet run</c>, the published app and tests serve the same files.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    // Everything a page loads comes from this host; nothing may be framed or posted elsewhere. Inline scripts: only the
    // page's own import maps, by hash (InlineImportMaps).
    private static string ContentSecurityPolicy(string html) =>
        $"default-src 'self'; script-src {string.Join(' ', ["'self'", .. InlineImportMaps.HashSources(html)])}; connect-src 'self'; " +
        "img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly ConcurrentDictionary<string, string> Policies = new(StringComparer.Ordinal);

    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (!Directory.Exists(WebRoot)) return app;
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache"; // revalidated (ETag) so a new build is picked up at once
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer"; // the first load carries ?apiKey=
                if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase) && context.File.PhysicalPath is { } path)
                    headers.ContentSecurityPolicy = Policies.GetOrAdd(path, p => ContentSecurityPolicy(File.ReadAllText(p)));
            },
        });
        return app;
    }
}
