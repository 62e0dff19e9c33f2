using Akka.Actor;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Streams;
using Microsoft.Extensions.Options;
using Quotes.Actors;
using Quotes.Actors.Cluster;
using Quotes.Actors.Cluster.Bootstrap;
using Quotes.Actors.Sessions;
using Quotes.Host.Bootstrap;

namespace Quotes.Host.Composition;

/// <summary>
/// The actor system: HOCON from <c>hocon/</c>, Akka logs through Serilog, then the node's actors; the cluster formed
/// from seeds, or through bootstrap (<c>Akka:Bootstrap</c>) with its management port.
/// </summary>
public static class AkkaSetup
{
    /// <summary>How this node joins the cluster (<c>Akka</c>), checked now: the keys and the actor system depend on it.</summary>
    public static AkkaNodeOptions AddAkkaNodeSettings(this WebApplicationBuilder builder) =>
        builder.AddSettingsNow<AkkaNodeOptions>("Akka", o => o.Problems(), (o, configuration) =>
        {
            o.Seeds = SettingsValidation.List(configuration, "Akka:Seeds", o.Seeds);
            o.Bootstrap.Endpoints = SettingsValidation.List(configuration, "Akka:Bootstrap:Endpoints", o.Bootstrap.Endpoints);
        });

    public static void AddQuotesAkka(this WebApplicationBuilder builder, AkkaNodeOptions node)
    {
        var kubernetes = node.Bootstrap.Discovery == BootstrapOptions.KubernetesDiscovery
            ? KubernetesApiSettings.FromEnvironment(node.Bootstrap, Environment.GetEnvironmentVariable)
            : null;

        builder.Services.AddOptions<QuotesOptions>().BindConfiguration("Quotes").ValidateProblems(QuotesOptionsChecks.Problems).ValidateOnStart();
        // The actors take the settings themselves, not the options framework.
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<QuotesOptions>>().Value);
        builder.Services.AddAkka(AkkaNodeOptions.SystemName, (akka, services) =>
        {
            akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, "hocon", "quotes.hocon"), HoconAddMode.Append)
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = node.AkkaLogLevel;
                    loggers.ClearLoggers();
                    loggers.AddSerilogLogging();
                })
                .AddQuotesNode(node)
                .AddKeyBudgetReplication(services.GetRequiredService<KeySymbolBudget>());
            if (node.Bootstrap.Enabled) akka.AddQuotesBootstrap(node.Bootstrap, kubernetes);
        });
        // The one materializer of the node (Akka.Hosting registers none): the upstream pipeline runs on it, and so does anything else.
        builder.Services.AddSingleton<IMaterializer>(sp => QuotesMaterializer.For(sp.GetRequiredService<ActorSystem>()));
        // After AddAkka: hosted services start in order, and this one needs the running actor system.
        if (node.Bootstrap.Enabled) builder.Services.AddSingleton(node).AddHostedService<ManagementServer>();
    }
}
