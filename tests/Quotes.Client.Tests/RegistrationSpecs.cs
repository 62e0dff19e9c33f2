using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Quotes.Client.Tests;

public sealed class RegistrationSpecs
{
    [Fact]
    public async Task Should_register_one_client_configured_by_its_options_and_disposed_with_the_container()
    {
        var services = new ServiceCollection().AddQuotesClient(o =>
        {
            o.Url = new Uri("ws://127.0.0.1:1/ws");
            o.ApiKey = "test-client-key-0001";
        });
        QuotesClient client;
        await using (var provider = services.BuildServiceProvider())
        {
            client = provider.GetRequiredService<QuotesClient>();
            Assert.Same(client, provider.GetRequiredService<QuotesClient>());
            Assert.Equal(ConnectionState.Disconnected, client.State);
        }
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    [Fact]
    public void Should_be_disposed_with_a_container_disposed_synchronously()
    {
        // Found from outside: a container built and disposed without await threw, the client being only IAsyncDisposable.
        QuotesClient client;
        using (var provider = new ServiceCollection().AddQuotesClient(o =>
               {
                   o.Url = new Uri("ws://127.0.0.1:1/ws");
                   o.ApiKey = "test-client-key-0001";
               }).BuildServiceProvider())
        {
            client = provider.GetRequiredService<QuotesClient>();
        }
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    [Fact]
    public void Should_refuse_options_without_a_key()
    {
        using var provider = new ServiceCollection().AddQuotesClient(o => o.Url = new Uri("ws://127.0.0.1:1/ws")).BuildServiceProvider();
        var refused = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<QuotesClient>());
        Assert.Equal("ApiKey", refused.ParamName);
    }
}
