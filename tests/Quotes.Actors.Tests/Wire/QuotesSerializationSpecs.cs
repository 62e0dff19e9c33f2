using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quotes.Actors.Cluster;
using Quotes.Actors.Messages;
using Xunit;

namespace Quotes.Actors.Tests.Wire;

/// <summary>
/// A node's actor system, built by Akka.Hosting with nothing but <see cref="QuotesNodeExtensions.AddQuotesSerializer"/>
/// (no HOCON binding any more), serializes cross-node messages with <see cref="QuotesSerializer"/>, not the JSON fallback.
/// </summary>
public sealed class QuotesSerializationSpecs
{
    [Fact]
    public async Task A_hosted_actor_system_binds_quotes_messages_through_AddQuotesSerializer()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IHostApplicationLifetime, NoHostLifetime>();
        services.AddAkka("hosted", (builder, _) => builder.AddQuotesSerializer());
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted) await service.StartAsync(CancellationToken.None);
        try
        {
            var system = provider.GetRequiredService<ActorSystem>();

            Assert.IsType<QuotesSerializer>(system.Serialization.FindSerializerFor(new SymbolProtocol.QuoteUpdated(WireSamples.Full)));
            Assert.IsType<QuotesSerializer>(system.Serialization.FindSerializerForType(typeof(IQuotesMessage)));
        }
        finally
        {
            foreach (var service in hosted) await service.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The one host service Akka.Hosting asks for, without a host: nothing here stops the application.</summary>
    private sealed class NoHostLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
