using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// Key guessing is throttled per address: past <c>Limits:FailedAuthPerMinute</c> failures an address gets 429 on every
/// authenticated route, even with a right key, while other addresses are unaffected.
/// </summary>
public sealed class FailedAuthSpecs : IAsyncLifetime
{
    private const string AdminKey = "failed-auth-admin-key";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:FailedAuthPerMinute"] = "3",
        ["Admin:ApiKey"] = AdminKey,
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_address_that_failed_too_often_is_refused_everywhere_and_another_address_is_not()
    {
        using var guesser = ClientFrom(IPAddress.Loopback);
        foreach (var guess in new[] { "guess-0001", "guess-0002", "guess-0003" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync($"/api/market/status?apiKey={guess}")).StatusCode);

        // The right key does not help the guesser now, on any route.
        using var blocked = await guesser.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("60", blocked.Headers.GetValues("Retry-After").Single());
        Assert.Equal(ErrorCodes.RateLimited, JsonDocument.Parse(await blocked.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        using var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        admin.Headers.Add("X-API-Key", AdminKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.SendAsync(admin)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/polygon/v1/marketstatus/now?apiKey={QuotesServer.ClientKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, await TestSocket.UpgradeStatusAsync(_server.SocketUri()));

        // 127.0.0.2 is another client (same loopback interface): untouched.
        using var other = ClientFrom(IPAddress.Parse("127.0.0.2"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
    }

    [Fact]
    public async Task Failures_on_the_admin_and_facade_routes_count_too()
    {
        using var guesser = ClientFrom(IPAddress.Parse("127.0.0.3"));
        using var wrongAdmin = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        wrongAdmin.Headers.Add("X-API-Key", "not-the-admin-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SendAsync(wrongAdmin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/polygon/v1/marketstatus/now?apiKey=guess-0004")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await guesser.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/market/status?apiKey=guess-0005")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
    }

    [Fact]
    public async Task Wrong_keys_on_the_facade_socket_count_and_a_blocked_address_cannot_open_one()
    {
        var source = IPAddress.Parse("127.0.0.4");
        using var invoker = new HttpMessageInvoker(HandlerFrom(source));
        var facade = _server.SocketUri("/polygon/stocks", key: null);
        foreach (var guess in new[] { "guess-0006", "guess-0007", "guess-0008" })
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(facade, invoker, CancellationToken.None);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"action\":\"auth\",\"params\":\"" + guess + "\"}"), WebSocketMessageType.Text, true, CancellationToken.None);
            await ReadUntilAsync(socket, "auth_failed");
        }

        using var guesser = ClientFrom(source);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
        using var refused = new ClientWebSocket();
        var upgrade = await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(facade, invoker, CancellationToken.None));
        Assert.Contains("429", upgrade.Message);
    }

    [Fact]
    public async Task A_blocked_address_is_refused_at_the_facade_socket_in_Polygons_error_shape()
    {
        // Found from outside: the façade's upgrade answered the lockout with the /api body ({"success":false,…,"code"}).
        using var guesser = ClientFrom(IPAddress.Parse("127.0.0.8"));
        foreach (var guess in new[] { "guess-0012", "guess-0013", "guess-0014" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync($"/polygon/v1/marketstatus/now?apiKey={guess}")).StatusCode);

        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/polygon/stocks");
        upgrade.Headers.Add("Connection", "Upgrade");
        upgrade.Headers.Add("Upgrade", "websocket");
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var refused = await guesser.SendAsync(upgrade);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["status", "request_id", "error"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("request_id").GetString()));
        Assert.Contains("failed authentications", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Wrong_keys_sent_at_the_ws_upgrade_count_and_then_the_right_key_is_refused_there_too()
    {
        var source = IPAddress.Parse("127.0.0.6");
        using var invoker = new HttpMessageInvoker(HandlerFrom(source));
        foreach (var guess in new[] { "guess-0009", "guess-0010", "guess-0011" })
            Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(_server.SocketUri(key: guess), invoker));

        Assert.Equal(HttpStatusCode.TooManyRequests, await UpgradeStatusAsync(_server.SocketUri(), invoker));
        using var guesser = ClientFrom(source);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
        // Another address upgrades with the right key as usual.
        using var other = new HttpMessageInvoker(HandlerFrom(IPAddress.Parse("127.0.0.7")));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(_server.SocketUri(), other));
    }

    [Fact]
    public async Task Guessing_the_admin_key_through_the_OpenAPI_document_counts_too()
    {
        using var guesser = ClientFrom(IPAddress.Parse("127.0.0.5"));
        foreach (var guess in new[] { "guess-admin-0001", "guess-admin-0002", "guess-admin-0003" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
            request.Headers.Add("X-API-Key", guess);
            Assert.Equal(HttpStatusCode.OK, (await guesser.SendAsync(request)).StatusCode);
        }

        // Blocked now: even the right admin key does not reveal the admin routes from this address.
        using var withAdmin = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        withAdmin.Headers.Add("X-API-Key", AdminKey);
        var document = await (await guesser.SendAsync(withAdmin)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("/admin/cluster", document);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/api/market/status?apiKey={QuotesServer.ClientKey}")).StatusCode);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    public void Failures_count_per_IPv4_address_and_per_IPv6_64(string address, string counted) =>
        Assert.Equal(IPAddress.Parse(counted), Quotes.Host.Auth.FailedAuthThrottle.Normalize(IPAddress.Parse(address)));

    private static async Task ReadUntilAsync(ClientWebSocket socket, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            if (Encoding.UTF8.GetString(buffer, 0, result.Count).Contains("\"status\":\"" + status + "\"", StringComparison.Ordinal)) return;
        }
    }

    /// <summary>The HTTP status a WebSocket upgrade through <paramref name="invoker"/> was answered with.</summary>
    private static async Task<HttpStatusCode> UpgradeStatusAsync(Uri uri, HttpMessageInvoker invoker)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TestSocket.DefaultWait);
        try
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }

    /// <summary>An HTTP client whose connections leave from <paramref name="source"/> (any 127.x address reaches the server).</summary>
    private HttpClient ClientFrom(IPAddress source) => new(HandlerFrom(source)) { BaseAddress = _server.BaseUrl };

    private static SocketsHttpHandler HandlerFrom(IPAddress source) => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}
