using System.Net;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Browsers' WebSocket upgrades are checked against the origin policy; CORS allows only configured origins.</summary>
public sealed class OriginSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://dashboard.example" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Upgrades_from_foreign_origins_are_refused_and_allowed_ones_pass()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await TestSocket.UpgradeStatusAsync(_server.SocketUri(), o => o.SetRequestHeader("Origin", "https://evil.example")));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await TestSocket.UpgradeStatusAsync(_server.SocketUri(), o => o.SetRequestHeader("Origin", "https://dashboard.example")));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await TestSocket.UpgradeStatusAsync(_server.SocketUri(), o => o.SetRequestHeader("Origin", _server.BaseUrl.ToString().TrimEnd('/'))));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await TestSocket.UpgradeStatusAsync(_server.SocketUri()));
    }

    [Fact]
    public async Task CORS_answers_only_configured_origins()
    {
        using var http = _server.CreateHttpClient();
        using var allowed = new HttpRequestMessage(HttpMethod.Options, "/api/market/status");
        allowed.Headers.Add("Origin", "https://dashboard.example");
        allowed.Headers.Add("Access-Control-Request-Method", "GET");
        using var foreign = new HttpRequestMessage(HttpMethod.Options, "/api/market/status");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "GET");

        var ok = await http.SendAsync(allowed);
        var no = await http.SendAsync(foreign);

        Assert.Equal("https://dashboard.example", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(no.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_page_of_an_allowed_origin_may_read_Retry_After_and_X_Simulated()
    {
        // Neither is a header browsers show a page of another origin unless the answer exposes it: a 429's wait was unreadable.
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/market/status");
        request.Headers.Add("Origin", "https://dashboard.example");
        request.Headers.Add("X-API-Key", QuotesServer.ClientKey);

        var answer = await http.SendAsync(request);

        Assert.Equal("https://dashboard.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var exposed = answer.Headers.GetValues("Access-Control-Expose-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
        Assert.Contains("Retry-After", exposed, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("X-Simulated", exposed, StringComparer.OrdinalIgnoreCase);
    }
}
