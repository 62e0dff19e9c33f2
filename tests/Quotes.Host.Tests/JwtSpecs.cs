using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// Bearer tokens from a web app's own sign-in (<c>Auth:Jwt</c>), here signed with a key the spec makes: a valid one opens
/// REST and the socket as a key does; a bad one gets a bad key's answer; while unconfigured, none is accepted.
/// </summary>
public sealed class JwtSpecs : IAsyncLifetime
{
    private const string Issuer = "https://signin.example.test";
    private const string Audience = "akkaquotes";
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(_signingKey),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_valid_token_opens_REST_and_the_socket_by_header_and_by_query()
    {
        var token = Token(_signingKey);
        using var http = _server.CreateHttpClient(token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/market/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/polygon/v1/marketstatus/now")).StatusCode);

        await using var byHeader = await TestSocket.ConnectAsync(_server.SocketUri(key: null), o => o.SetRequestHeader("Authorization", "Bearer " + token));
        await using var byQuery = await TestSocket.ConnectAsync(_server.SocketUri(key: token));
        foreach (var client in new[] { byHeader, byQuery }) await client.ExpectAsync("type", "welcome");
        await byQuery.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await byQuery.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));

        // Client keys still work beside tokens; the token never reaches the log.
        using var keyed = _server.CreateHttpClient(QuotesServer.ClientKey);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/market/status")).StatusCode);
        Assert.DoesNotContain(_server.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expired_wrong_audience_and_wrong_signature_tokens_get_the_answer_of_a_bad_key()
    {
        var badKey = await RefusalAsync("not-a-client-key-0001");
        var refused = new[]
        {
            Token(_signingKey, expires: DateTime.UtcNow.AddHours(-1)),
            Token(_signingKey, expires: DateTime.UtcNow.AddSeconds(-90)), // past the 30 s allowed for the issuer's clock (ASP.NET's default: 5 minutes)
            Token(_signingKey, audience: "another-service"),
            Token(RandomNumberGenerator.GetBytes(32)),
            Token(_signingKey, issuer: "https://elsewhere.example.test"),
        };
        foreach (var token in refused)
        {
            Assert.Equal(badKey, await RefusalAsync(token));
            Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(_server.SocketUri(key: token)));
        }
        Assert.Equal((HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized, "the API key is not valid"), badKey);
    }

    [Fact]
    public async Task Without_Auth_Jwt_no_token_is_accepted()
    {
        await using var plain = await QuotesServer.StartAsync();
        using var http = plain.CreateHttpClient(Token(_signingKey));
        using var response = await http.GetAsync("/api/market/status");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(plain.SocketUri(key: Token(_signingKey))));
    }

    [Fact]
    public async Task Each_token_user_is_a_client_of_its_own_for_the_per_key_connection_cap()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuer"] = Issuer,
            ["Auth:Jwt:Audience"] = Audience,
            ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(_signingKey),
            ["Limits:MaxConnectionsPerKey"] = "1",
        });
        await using var first = await TestSocket.ConnectAsync(server.SocketUri(key: Token(_signingKey, subject: "user-0001")));
        await first.ExpectAsync("type", "welcome");

        await using var again = await TestSocket.ConnectAsync(server.SocketUri(key: Token(_signingKey, subject: "user-0001")));
        Assert.Null(await again.ReceiveFrameAsync());
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)1013, again.CloseStatus);

        await using var other = await TestSocket.ConnectAsync(server.SocketUri(key: Token(_signingKey, subject: "user-0002")));
        await other.ExpectAsync("type", "welcome");
    }

    [Theory]
    [InlineData("Auth:Jwt:Audience", null, "Auth:Jwt:Audience is required")]
    [InlineData("Auth:Jwt:SigningKey", "c2hvcnQ=", "Auth:Jwt:SigningKey must be base64 of at least 32")]
    [InlineData("Auth:Jwt:Issuer", null, "Auth:Jwt:Issuer is required")]
    public async Task Incomplete_token_settings_stop_the_start(string setting, string? value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuer"] = Issuer,
            ["Auth:Jwt:Audience"] = Audience,
            ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(_signingKey),
        };
        settings[setting] = value;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => QuotesServer.StartHostAsync(settings, waitUntilReady: false));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain(Convert.ToBase64String(_signingKey), error.Message);
    }

    private async Task<(HttpStatusCode Status, string? Code, string? Error)> RefusalAsync(string credential)
    {
        using var http = _server.CreateHttpClient(credential);
        using var response = await http.GetAsync("/api/market/status");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("code").GetString(), body.GetProperty("error").GetString());
    }

    private static string Token(byte[] key, string issuer = Issuer, string audience = Audience, DateTime? expires = null, string subject = "user-0001")
    {
        var until = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = until.AddMinutes(-20),
            NotBefore = until.AddMinutes(-20),
            Expires = until,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
