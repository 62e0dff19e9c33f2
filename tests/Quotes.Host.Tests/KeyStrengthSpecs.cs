using Microsoft.Extensions.DependencyInjection;
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
    public async Task A_generated_key_works_and_never_reaches_the_log()
    {
        await using var server = await QuotesServer.StartHostAsync(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = null });
        var auth = server.Services.GetRequiredService<Quotes.Host.Auth.AuthOptions>();
        Assert.True(auth.Generated);
        var key = Assert.Single(auth.ApiKeys);

        await using var client = await TestSocketFor(server, key);
        await client.SendAsync("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        await client.ExpectAsync("type", "quote");

        Assert.True(server.Logs.Lines.Count > 10, $"only {server.Logs.Lines.Count} log events captured");
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
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
