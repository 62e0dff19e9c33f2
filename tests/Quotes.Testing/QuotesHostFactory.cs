using Akka.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;

namespace Quotes.Testing;

/// <summary>
/// The AkkaQuotes host as <c>Program</c> starts it, from outside: on real Kestrel, with a spec's settings given the way
/// an operator gives them (they reach the host as its command line, so the composition sees them as it reads them), its
/// log also written to <paramref name="sink"/>, and Akka settings laid over the host's: the test hosts' quick leave
/// (<see cref="TestTimings.QuickLeaveHocon"/>) unless <paramref name="productionClusterTimings"/>, then the spec's own.
/// </summary>
public sealed class QuotesHostFactory(IReadOnlyDictionary<string, string?> settings, int port, ILogEventSink sink,
    Action<LoggerConfiguration>? logging = null, Action<AkkaConfigurationBuilder>? akka = null, bool productionClusterTimings = false)
    : WebApplicationFactory<Program>
{
    /// <summary>Starts the host on Kestrel (127.0.0.1, on <c>port</c> or any free one for 0) and returns its main address.</summary>
    public async Task<Uri> StartAsync()
    {
        UseKestrel(); // on the addresses the host is configured with (urls, below, and Metrics:Port's own)
        await Task.Run(StartServer); // blocks until the host started; the app's own entry point starts it
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production); // as a deployment runs it; the factory's default is Development
        builder.UseContentRoot(AppContext.BaseDirectory); // the build output, as for a published node; the factory would take the source folder
        builder.UseSetting(WebHostDefaults.ServerUrlsKey, $"http://127.0.0.1:{port}");
        foreach (var (key, value) in settings)
            if (value is not null) builder.UseSetting(key, value); // null: not set at all
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerSettings>(new SpecLogging(sink, logging));
            services.LayOver(akkaBuilder =>
            {
                if (!productionClusterTimings) akkaBuilder.AddHocon(TestTimings.QuickLeaveHocon, HoconAddMode.Prepend);
                akka?.Invoke(akkaBuilder); // the spec's own settings over these
            });
        });
    }

    /// <summary>The spec's sink at every level, and its own log settings, joined to the host's logger through its services.</summary>
    private sealed class SpecLogging(ILogEventSink sink, Action<LoggerConfiguration>? logging) : ILoggerSettings
    {
        public void Configure(LoggerConfiguration configuration)
        {
            configuration.MinimumLevel.Verbose().WriteTo.Sink(sink);
            logging?.Invoke(configuration);
        }
    }
}

internal static class AkkaLayover
{
    /// <summary>Applies <paramref name="akka"/> to the host's actor system configuration after the host's own.</summary>
    public static void LayOver(this IServiceCollection services, Action<AkkaConfigurationBuilder> akka)
    {
        var host = services.Last(d => d.ServiceType == typeof(AkkaConfigurationBuilder));
        services.Add(ServiceDescriptor.Singleton(provider =>
        {
            var builder = (AkkaConfigurationBuilder)host.ImplementationFactory!(provider);
            akka(builder);
            return builder;
        }));
    }
}
