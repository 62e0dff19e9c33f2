using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Every route of the app, found from its own endpoint table, refuses a request without the right key.</summary>
public sealed class EndpointSecuritySpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = "endpoint-admin-key-01" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Routes open by design: health for load balancers, the OpenAPI document, and the Polygon WebSocket (it authenticates in-protocol).</summary>
    private static readonly string[] Open = ["/health/live", "/health/ready", "/openapi/{documentName}.json", "/polygon/stocks"];

    [Fact]
    public async Task Every_api_ws_polygon_and_admin_route_requires_a_key()
    {
        var routes = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!)
            .Select(p => p.StartsWith('/') ? p : "/" + p)
            .Distinct()
            .ToList();
        Assert.Contains("/admin/cluster", routes);
        Assert.Contains("/api/market/quote/{symbol}", routes);

        using var http = _server.CreateHttpClient();
        var checkedRoutes = 0;
        foreach (var route in routes.Where(r => !Open.Contains(r)))
        {
            var path = Concrete(route);
            using var anonymous = await http.GetAsync(path);
            Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path} answered {anonymous.StatusCode} without a key");

            if (route.StartsWith("/admin", StringComparison.Ordinal))
            {
                using var withClientKey = new HttpRequestMessage(HttpMethod.Get, path);
                withClientKey.Headers.Authorization = new("Bearer", QuotesServer.ClientKey);
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(withClientKey)).StatusCode);
            }
            checkedRoutes++;
        }
        Assert.True(checkedRoutes >= 10, $"only {checkedRoutes} routes checked");
    }

    private static string Concrete(string route) => route
        .Replace("{symbol}", "AAPL")
        .Replace("{**path}", "v1/marketstatus/now");
}
