using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quotes.Host.Composition;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Keys too short to resist guessing stop the server at start, with the setting named and the key never shown.</summary>
public sealed class KeyStrengthSpecs
{
    [Theory]
    [InlineData("Auth:ApiKeys:0", "short-key-15chr")]
    [InlineData("Auth:ApiKeys:1", "abc")]
    [InlineData("Admin:ApiKey", "admin-15-chars!")]
    public async Task A_key_shorter_than_16_characters_is_refused_at_start(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            QuotesServer.StartHostAsync(new Dictionary<string, string?> { [setting] = key }, waitUntilReady: false));
        Assert.Contains(setting[..setting.IndexOf(":ApiKey", StringComparison.Ordinal)] + ":ApiKey", error.Message);
        Assert.Contains("too short", error.Message);
        Assert.DoesNotContain(key, error.Message);
    }

    [Fact]
    public async Task A_generated_key_works_and_never_enters_the_log_pipeline()
    {
        var raw = new RawLogCapture();
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = null },
            logging: configuration => configuration.Enrich.With(raw));
        var auth = server.Services.GetRequiredService<Quotes.Host.Auth.AuthOptions>();
        Assert.True(auth.Generated);
        var key = Assert.Single(auth.ApiKeys);

        // Started and ready: nothing the server logged carried the key, not even as a property the redactor would mask.
        var startup = raw.Lines;
        Assert.True(startup.Count > 10, $"only {startup.Count} log events captured");
        Assert.DoesNotContain(startup, line => line.Contains(key, StringComparison.Ordinal));

        // The capture sees events before the redactor: a key logged on purpose is there, and masked in what the sinks get.
        server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KeyStrengthSpecs").LogInformation("control {Value}", key);
        Assert.Contains(raw.Lines, line => line.StartsWith("control {Value}", StringComparison.Ordinal) && line.Contains(key, StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, line => line.Contains($"control \"{SecretRedactor.Mask}\"", StringComparison.Ordinal));

        await using var client = await TestSocketFor(server, key);
        await client.SendAsync("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        await client.ExpectAsync("type", "quote");
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_real_node_prints_its_generated_key_on_the_console_banner_and_in_no_log_line()
    {
        // No client key and no seeds (a node joining a cluster must have keys): the node generates one, as `dotnet run` does.
        await using var node = NodeProcess.StartWithoutSeeds(new Dictionary<string, string?>());
        await Quotes.Testing.Eventually.HoldsAsync(() =>
            Assert.Contains(node.Output, line => line.Contains("Client key (generated; set Auth:ApiKeys to choose your own): ", StringComparison.Ordinal)),
            budget: TimeSpan.FromSeconds(60));
        var banner = node.Output.First(line => line.Contains("Client key (generated", StringComparison.Ordinal));
        var key = banner[(banner.LastIndexOf(' ') + 1)..];
        Assert.Matches("^[0-9a-f]{32}$", key);

        // The printed key is the node's key: it opens the API.
        using var http = new HttpClient { BaseAddress = node.HttpUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/market/status");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        // Log lines ("[yyyy-MM-dd HH:mm:ss.fff zzz LVL] …") never carry it; only the banner's own lines do.
        var output = node.Output;
        Assert.Contains(output, line => line.StartsWith('['));
        Assert.DoesNotContain(output, line => line.StartsWith('[') && line.Contains(key, StringComparison.Ordinal));
    }

    private static Task<Quotes.Testing.TestSocket> TestSocketFor(QuotesServer server, string key) =>
        Quotes.Testing.TestSocket.ConnectAsync(server.SocketUri(key: key));

    [Fact]
    public async Task A_16_character_key_is_accepted()
    {
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?> { ["Auth:ApiKeys:1"] = "exactly-16-chars" });
        await using var client = await server.ConnectAsync();
    }
}
