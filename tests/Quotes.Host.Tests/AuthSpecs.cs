using System.Net;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

public sealed class AuthSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_upgrade_without_a_key_or_with_an_unknown_key_is_401_before_any_upgrade()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(_server.SocketUri(key: null)));
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(_server.SocketUri(key: "wrong-key")));
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(_server.SocketUri("/api/socket", key: null)));
    }

    [Fact]
    public async Task The_401_body_is_the_protocols_error_and_names_no_key()
    {
        using var http = _server.CreateHttpClient();
        using var response = await http.GetAsync("/ws?apiKey=wrong-key");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal(ErrorCodes.Unauthorized, doc.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("wrong-key", body);
        Assert.DoesNotContain(QuotesServer.PolygonKey, body);
    }

    [Fact]
    public async Task The_key_is_accepted_as_bearer_header_X_API_Key_or_query()
    {
        await using var bearer = await TestSocket.ConnectAsync(_server.SocketUri(key: null), o => o.SetRequestHeader("Authorization", "Bearer " + QuotesServer.ClientKey));
        await using var header = await TestSocket.ConnectAsync(_server.SocketUri(key: null), o => o.SetRequestHeader("X-API-Key", QuotesServer.ClientKey));
        await using var query = await TestSocket.ConnectAsync(_server.SocketUri());

        foreach (var client in new[] { bearer, header, query }) await client.ExpectAsync("type", "welcome");
    }

    [Fact]
    public async Task A_plain_GET_with_a_key_is_told_to_upgrade()
    {
        using var http = _server.CreateHttpClient();
        using var response = await http.GetAsync("/ws?apiKey=" + QuotesServer.ClientKey);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_need_no_key()
    {
        using var http = _server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }
}
