using Akka.Hosting;
using Akka.Logger.Serilog;
using Quotes.Actors;
using Quotes.Actors.Cluster;

namespace Quotes.Host.Composition;

/// <summary>The actor system: HOCON from <c>hocon/</c>, Akka logs through Serilog, then the node's actors.</summary>
public static class AkkaSetup
{
    public static void AddQuotesAkka(this WebApplicationBuilder builder, Action<AkkaConfigurationBuilder>? configure)
    {
        var node = builder.Configuration.GetSection("Akka").Get<AkkaNodeOptions>() ?? new AkkaNodeOptions();
        var seeds = builder.Configuration["Akka:Seeds"];
        if (node.Seeds.Length == 0 && !string.IsNullOrWhiteSpace(seeds))
            node.Seeds = seeds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        node.Seeds = node.Seeds.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
        if (node.Shards is < 1 or > AkkaNodeOptions.MaxShards)
            throw new InvalidOperationException(
                $"Akka:Shards must be between 1 and {AkkaNodeOptions.MaxShards} (about ten times the most nodes the cluster will run); it is {node.Shards}");

        builder.Services.AddSingleton(builder.Configuration.GetSection("Quotes").Get<QuotesSettings>() ?? new QuotesSettings());
        builder.Services.AddAkka(AkkaNodeOptions.SystemName, (akka, _) =>
        {
            akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, "hocon", "quotes.hocon"), HoconAddMode.Append)
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                    loggers.ClearLoggers();
                    loggers.AddSerilogLogging();
                })
                .AddQuotesNode(node);
            configure?.Invoke(akka);
        });
    }
}
