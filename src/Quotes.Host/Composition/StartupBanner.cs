using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Quotes.Actors.Upstream.Provider;
using Quotes.Host.Auth;

namespace Quotes.Host.Composition;

/// <summary>
/// Once Kestrel listens, prints where to connect: the client key (only when generated) and a ready-to-paste WebSocket URL.
/// Written to the console directly, not logged, so the key never reaches a log sink. The Polygon key is never printed.
/// </summary>
public static class StartupBanner
{
    public static void PrintBannerWhenStarted(this WebApplication app, AuthOptions auth, PolygonOptions polygon, bool embeddedSimulator)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            var page = Browsable(address);
            var socket = page.Replace("http://", "ws://").Replace("https://", "wss://");
            var key = auth.Generated ? auth.ApiKeys[0] : "<one of Auth:ApiKeys>";
            Console.WriteLine();
            Console.WriteLine($"  AkkaQuotes is listening on {address}");
            Console.WriteLine(embeddedSimulator
                ? "  Feed: simulator. Prices are SIMULATED, not market data (no Polygon key set; Polygon:Required=true forbids this)"
                : $"  Feed: {polygon.Feed}, upstream {polygon.StocksSocketUri()} (re-checked on connect: an upstream that announces itself as a simulator is reported as feed simulator{(polygon.Required ? " and refused, Polygon:Required" : "")})");
            if (auth.Generated) Console.WriteLine($"  Client key (generated; set Auth:ApiKeys to choose your own): {key}");
            Console.WriteLine($"  Dashboard: {page}/?apiKey={key}");
            Console.WriteLine($"  WebSocket: {socket}/ws?apiKey={key}");
            Console.WriteLine();
        });
    }

    /// <summary>A listening address a browser can open: wildcard hosts become localhost.</summary>
    private static string Browsable(string address) =>
        address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost");
}
