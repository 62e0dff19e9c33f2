using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Quotes.Host.Composition;

namespace Quotes.Testing;

/// <summary>Composes the host as <c>Program</c> does, on a builder given the caller's configuration, without starting it.</summary>
public static class HostComposition
{
    public static Task<WebApplication> BuildAsync(Action<WebApplicationBuilder> configure)
    {
        var builder = QuotesApp.CreateBuilder([]);
        configure(builder);
        return QuotesApp.BuildAsync(builder);
    }

    /// <summary>
    /// Composes a host whose upstream is a Polygon that is never reached, with one client key and <paramref name="settings"/>
    /// on top (a null value removes a setting), and returns the error that stops it at start (the spec fails if it starts).
    /// </summary>
    public static async Task<InvalidOperationException> StartFailsAsync(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Polygon:ApiKey"] = "not-used-key-123",
            ["Polygon:WebSocketUrl"] = "ws://127.0.0.1:1",
            ["Polygon:RestUrl"] = "http://127.0.0.1:1",
            ["Auth:ApiKeys:0"] = QuotesServer.ClientKey,
        };
        foreach (var (key, value) in settings) all[key] = value;
        return await Xunit.Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(all);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }));
    }
}
