using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Client keys follow the configuration without a restart: added keys work at once, removed ones stop working.</summary>
public sealed class ClientKeyReloadSpecs : IAsyncLifetime
{
    private const string RetiredKey = "retired-client-key-0001";
    private const string NewKey = "reloaded-client-key-0001";
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKeys:1"] = RetiredKey });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_key_added_to_the_configuration_is_accepted_and_a_removed_one_refused_without_a_restart()
    {
        using var http = _server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, RetiredKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, NewKey));

        Reload(("Auth:ApiKeys:1", NewKey));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, NewKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, RetiredKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, QuotesServer.ClientKey));
        await using (var socket = await TestSocket.ConnectAsync(_server.SocketUri(key: NewKey)))
            await socket.ExpectAsync("type", "welcome");
        Assert.Equal(HttpStatusCode.Unauthorized, await TestSocket.UpgradeStatusAsync(_server.SocketUri(key: RetiredKey)));

        Assert.Contains(_server.Logs.Lines, line => line.Contains("Client keys reloaded", StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Logs.Lines, line => line.Contains(NewKey, StringComparison.Ordinal) || line.Contains(RetiredKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reload_with_a_short_key_is_refused_whole_and_the_keys_in_force_stay()
    {
        using var http = _server.CreateHttpClient();
        Reload(("Auth:ApiKeys:1", "short-key"), ("Auth:ApiKeys:2", "long-enough-new-key-01"));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, RetiredKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "long-enough-new-key-01"));
        Assert.Contains(_server.Logs.Lines, line => line.Contains("the reload is refused", StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Logs.Lines, line => line.Contains("short-key", StringComparison.Ordinal));
    }

    /// <summary>
    /// Changes the server's settings and reloads its configuration, as a changed file would. The settings it started with come
    /// from the test host's command line, which a reload reads again, so the changes go in an in-memory source of their own,
    /// added last (it wins over the others).
    /// </summary>
    private void Reload(params (string Key, string Value)[] changes)
    {
        var configuration = (IConfigurationRoot)_server.Services.GetRequiredService<IConfiguration>();
        if (configuration.Providers.LastOrDefault() is not MemoryConfigurationProvider overrides)
        {
            ((IConfigurationBuilder)configuration).Add(new MemoryConfigurationSource());
            overrides = (MemoryConfigurationProvider)configuration.Providers.Last();
        }
        foreach (var (key, value) in changes) overrides.Set(key, value);
        configuration.Reload();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/market/status");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
