using Microsoft.AspNetCore.StaticFiles;

namespace Quotes.Host.Dashboard;

/// <summary>
/// Serves the dashboard (<c>/</c>) and the browser client (<c>/js/quotes-client.js</c>) from <c>wwwroot</c> beside the
/// assembly, where the build puts web/public and the vendored chart library. Public: the page asks for the key itself.
/// </summary>
public static class DashboardFiles
{
    /// <summary>The web root: always the build output's, so <c>dotnet run</c>, the published app and tests serve the same files.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    // Everything the page loads comes from this host; nothing may be framed or posted elsewhere.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

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
                if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
            },
        });
        return app;
    }
}
