using Akka.Actor;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Streams;
using Microsoft.Extensions.Options;
using Quotes.Actors;
using Quotes.Actors.Cluster;
using Quotes.Actors.Cluster.Bootstrap;
using Quotes.Actors.Sessions;
using Quotes.Host.Auth;
using Quotes.Host.Bootstrap;
using Quotes.Host.WebSockets;

namespace Quotes.Host.Composition;

/// <summary>
/// The actor system: HOCON from <c>hocon/</c>, Akka logs through Serilog, then the node's actors; the cluster formed
/// from seeds, or through bootstrap (<c>Akka:Bootstrap</c>) with its management port.
/// </summary>
public static class AkkaSetup
{
    public static void AddQuotesAkka(this WebApplicationBuilder builder)
    {
        var node = builder.Configuration.GetSection("Akka").Get<AkkaNodeOptions>() ?? new AkkaNodeOptions();
        node.Seeds = List(builder.Configuration, "Akka:Seeds", node.Seeds);
        node.Bootstrap.Endpoints = List(builder.Configuration, "Akka:Bootstrap:Endpoints", node.Bootstrap.Endpoints);
        if (node.Shards is < 1 or > AkkaNodeOptions.MaxShards)
            throw new InvalidOperationException(
                $"Akka:Shards must be between 1 and {AkkaNodeOptions.MaxShards} (about ten times the most nodes the cluster will run); it is {node.Shards}");
        var problems = node.Bootstrap.Problems(node.Seeds, node.EffectivePort, node.PublicHost);
        if (problems.Count > 0) throw new InvalidOperationException(string.Join("; ", problems));
        var kubernetes = node.Bootstrap.Discovery == BootstrapOptions.KubernetesDiscovery
            ? KubernetesApiSettings.FromEnvironment(node.Bootstrap, Environment.GetEnvironmentVariable)
            : null;

        builder.Services.AddOptions<QuotesSettings>().BindConfiguration("Quotes").ValidateProblems(QuotesSettingsChecks.Problems).ValidateOnStart();
        // The actors take the settings themselves, not the options framework.
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<QuotesSettings>>().Value);
        builder.Services.AddAkka(AkkaNodeOptions.SystemName, (akka, services) =>
        {
            akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, "hocon", "quotes.hocon"), HoconAddMode.Append)
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                    loggers.ClearLoggers();
                    loggers.AddSerilogLogging();
                })
                .AddQuotesNode(node)
                .AddKeyBudgetReplication(services.GetRequiredService<KeySymbolBudget>(),
                    services.GetRequiredService<AuthOptions>().ApiKeys.Select(ConnectionLimiter.KeyId));
            if (node.Bootstrap.Enabled) akka.AddQuotesBootstrap(node.Bootstrap, kubernetes);
        });
        // The one materializer of the node (Akka.Hosting registers none): the upstream pipeline runs on it, and so does anything else.
        builder.Services.AddSingleton<IMaterializer>(sp => QuotesMaterializer.For(sp.GetRequiredService<ActorSystem>()));
        // After AddAkka: hosted services start in order, and this one needs the running actor system.
        if (node.Bootstrap.Enabled) builder.Services.AddSingleton(node).AddHostedService<ManagementServer>();
    }

    /// <summary>A list setting given either as entries (<c>Key:0</c>, <c>Key:1</c>) or as one comma-separated value.</summary>
    internal static string[] List(IConfiguration configuration, string key, string[] entries)
    {
        var joined = configuration[key];
        if (entries.Length == 0 && !string.IsNullOrWhiteSpace(joined))
            entries = joined.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return entries.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
    }
}
