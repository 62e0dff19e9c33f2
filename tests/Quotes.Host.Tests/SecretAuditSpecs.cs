using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Akka.Hosting;
using Quotes.Host.Composition;
using Quotes.Testing;
using Serilog.Events;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// With every log source at its most verbose (ASP.NET, HttpClient, Kestrel, Akka at DEBUG), every way a key can
/// travel is exercised (query string, headers, Polygon auth frames, the upstream's own auth, REST upstream calls, a
/// wrong key); no captured log event, rendered with its properties and exception, holds any secret.
/// </summary>
public sealed class SecretAuditSpecs : IAsyncLifetime
{
    private const string AdminKey = "test-admin-key-0123456";
    private const string WrongKey = "wrong-key-0123456789";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(
        new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey },
        logging: logging => logging
            .MinimumLevel.Override("Microsoft", LogEventLevel.Verbose)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Verbose)
            .MinimumLevel.Override("System", LogEventLevel.Verbose)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Verbose),
        akka: akka => akka.ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.DebugLevel));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task No_secret_reaches_the_log_even_at_the_most_verbose_levels()
    {
        // The client protocol, key in the query string (as browsers send it) and in a header.
        await using (var byQuery = await _server.ConnectAsync())
        {
            await byQuery.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
            await byQuery.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(_server.SocketUri(key: WrongKey)));

        // REST, every way of passing the key, a wrong one too.
        using var http = _server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/market/quote/MSFT?apiKey={QuotesServer.ClientKey}")).StatusCode);
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/market/historical/MSFT?from=2026-11-02&to=2026-11-20"))
        {
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/market/quote/MSFT?apiKey={WrongKey}")).StatusCode);

        // The Polygon façade: REST with ?apiKey= as the official clients send it, and the socket's auth frame.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/polygon/v2/aggs/ticker/MSFT/prev?apiKey={QuotesServer.ClientKey}")).StatusCode);
        await using (var polygon = await TestSocket.ConnectAsync(_server.SocketUri("/polygon/stocks", key: null)))
        {
            await polygon.ExpectAsync(m => m.GetProperty("status").GetString() == "connected");
            await polygon.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
            await polygon.ExpectAsync(m => m.GetProperty("status").GetString() == "auth_success");
            await polygon.SendAsync($$"""{"action":"auth","params":"{{WrongKey}}"}""");
        }

        // Admin, with its own key.
        using (var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster"))
        {
            admin.Headers.Add("X-API-Key", AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(admin)).StatusCode);
        }

        // The upstream authenticates again with the Polygon key after a drop.
        var market = _server.Simulator!.Market;
        var opened = market.Report().ConnectionsOpened;
        market.DropAll();
        await Eventually.HoldsAsync(() => Assert.Contains(market.Report().Connections, c => c.Id > opened && c.Authenticated));
        await _server.WaitUntilReadyAsync();

        var lines = _server.Logs.Lines;
        // The audit means something only if the verbose sources really were on and did log the requests.
        Assert.NotEmpty(_server.Logs.At(LogEventLevel.Debug));
        Assert.Contains(lines, l => l.Contains("Request starting") && l.Contains("apiKey=" + SecretRedactor.Mask));
        Assert.Contains(lines, l => l.Contains("Akka") || l.Contains("akka://"));
        foreach (var secret in new[] { QuotesServer.ClientKey, QuotesServer.PolygonKey, AdminKey, WrongKey })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }
}
