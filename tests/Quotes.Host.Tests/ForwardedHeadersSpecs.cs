using System.Net;
using System.Text.Json;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// Behind a TLS-terminating proxy (here: requests from loopback, a trusted proxy, carrying <c>X-Forwarded-*</c>), the
/// Origin policy and the façade's <c>next_url</c> use the public scheme and host the client sees; from an address that is
/// not a trusted proxy the headers are ignored.
/// </summary>
public sealed class ForwardedHeadersSpecs : IAsyncLifetime
{
    private const string PublicOrigin = "https://quotes.example";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_browser_on_the_public_https_origin_may_open_a_socket_through_the_proxy()
    {
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await TestSocket.UpgradeStatusAsync(_server.SocketUri(), o =>
        {
            o.SetRequestHeader("Origin", PublicOrigin);
            o.SetRequestHeader("X-Forwarded-Proto", "https");
            o.SetRequestHeader("X-Forwarded-Host", "quotes.example");
        }));
        // Without the proxy's headers the same origin is foreign: the headers are what made the difference.
        Assert.Equal(HttpStatusCode.Forbidden, await TestSocket.UpgradeStatusAsync(_server.SocketUri(), o => o.SetRequestHeader("Origin", PublicOrigin)));
    }

    [Fact]
    public async Task The_facade_points_next_url_at_the_public_https_address()
    {
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/polygon/v3/reference/tickers?limit=1&apiKey={QuotesServer.ClientKey}");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "quotes.example");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);

        var next = JsonDocument.Parse(body).RootElement.GetProperty("next_url").GetString();
        Assert.StartsWith($"{PublicOrigin}/polygon/v3/reference/tickers?", next);
    }

    /// <summary>
    /// Configured proxies replace the loopback default: the test client (loopback) is believed only when it is listed
    /// (as an address or inside a network), else its <c>X-Forwarded-*</c> headers are ignored.
    /// </summary>
    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.9.8.7", false)]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8", false)]
    [InlineData("ForwardedHeaders:KnownProxies:0", "127.0.0.1", true)]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8", true)]
    public async Task Forwarded_headers_are_believed_only_from_a_configured_proxy(string setting, string value, bool trusted)
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { [setting] = value });

        Assert.Equal(trusted ? HttpStatusCode.SwitchingProtocols : HttpStatusCode.Forbidden, await TestSocket.UpgradeStatusAsync(server.SocketUri(), o =>
        {
            o.SetRequestHeader("Origin", PublicOrigin);
            o.SetRequestHeader("X-Forwarded-Proto", "https");
            o.SetRequestHeader("X-Forwarded-Host", "quotes.example");
        }));

        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/polygon/v3/reference/tickers?limit=1&apiKey={QuotesServer.ClientKey}");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "quotes.example");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var next = JsonDocument.Parse(body).RootElement.GetProperty("next_url").GetString();
        var expected = trusted ? PublicOrigin : $"http://{server.BaseUrl.Authority}";
        Assert.StartsWith($"{expected}/polygon/v3/reference/tickers?", next);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "not-an-address", "ForwardedHeaders:KnownProxies")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "ForwardedHeaders:KnownNetworks")]
    public async Task A_malformed_trusted_proxy_setting_stops_the_server_at_start_naming_it(string setting, string value, string named)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartAsync(new Dictionary<string, string?> { [setting] = value }));
        Assert.Contains(named, error.Message);
    }
}
