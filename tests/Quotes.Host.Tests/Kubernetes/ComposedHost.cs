using Akka.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quotes.Host.Composition;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>
/// Composes the real host (<see cref="QuotesApp.BuildAsync"/>) with given settings and records which configuration keys
/// it reads, without starting it: nothing listens, no actor system starts, nothing connects. Besides what the
/// composition reads at once, it makes the host read what it would read only as it starts: Kestrel's options, the
/// actor system's configuration callbacks, and every options class bound from configuration.
/// </summary>
public static class ComposedHost
{
    /// <summary>
    /// Composes the host with <paramref name="settings"/>, then with them less <paramref name="podOnly"/>, and records
    /// the keys read by both. Settings that only work inside a real pod may make the first composition refuse to
    /// finish (what was read until then still counts); the second must finish.
    /// </summary>
    public static async Task<ConfigurationReads> ReadsAsync(IDictionary<string, string?> settings, IReadOnlyCollection<string> podOnly)
    {
        var reads = new ConfigurationReads();
        try
        {
            await ComposeAsync(settings, reads);
        }
        catch (InvalidOperationException)
        {
            // e.g. kubernetes discovery outside a pod: no API server in the environment, no service account mounted
        }
        await ComposeAsync(settings.Where(s => !podOnly.Contains(s.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(), reads);
        return reads;
    }

    private static async Task ComposeAsync(IDictionary<string, string?> settings, ConfigurationReads reads)
    {
        IServiceCollection? services = null;
        var app = await QuotesApp.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.Sources.Add(reads); // last added is asked first: it sees every lookup
            services = builder.Services;
        });
        try
        {
            _ = app.Services.GetRequiredService<IServer>(); // runs the ConfigureKestrel callbacks
            _ = app.Services.GetRequiredService<AkkaConfigurationBuilder>(); // runs the AddAkka callbacks
            foreach (var options in services!.Select(d => d.ServiceType)
                         .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
                         .Select(t => t.GetGenericArguments()[0]).Distinct())
                BindAll(app.Services, options);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Resolves every named instance of an options class bound from configuration, which binds it.</summary>
    private static void BindAll(IServiceProvider services, Type options)
    {
        var monitor = services.GetRequiredService(typeof(IOptionsMonitor<>).MakeGenericType(options));
        var get = monitor.GetType().GetMethod(nameof(IOptionsMonitor<object>.Get))!;
        foreach (var source in services.GetServices(typeof(IOptionsChangeTokenSource<>).MakeGenericType(options)))
        {
            var name = (string?)source!.GetType().GetProperty(nameof(IOptionsChangeTokenSource<object>.Name))!.GetValue(source);
            try
            {
                get.Invoke(monitor, [name ?? Options.DefaultName]);
            }
            catch (System.Reflection.TargetInvocationException)
            {
                // Validation may refuse the example values; the keys were read before it ran.
            }
        }
    }
}
