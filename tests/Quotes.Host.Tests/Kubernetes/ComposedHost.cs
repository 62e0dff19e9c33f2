using Akka.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quotes.Host.Composition;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>
/// Composes the real host (<see cref="QuotesApp.BuildAsync(Microsoft.AspNetCore.Builder.WebApplicationBuilder)"/>) with given settings and records which configuration keys
/// it reads, without starting it: nothing listens, no actor system starts, nothing connects. Besides what the
/// composition reads at once, it makes the host read what it would read only as it starts: Kestrel's options, the
/// actor system's configuration callbacks, and every options class bound from configuration.
/// </summary>
public static class ComposedHost
{
    /// <summary>
    /// Composes the host with <paramref name="settings"/>, then once for each of <paramref name="leftOut"/> with those
    /// settings left out, and records the keys read by all of them. Some settings are read only in circumstances of
    /// their own (a real pod, a missing key), in which the host may refuse to compose (what it read until then still
    /// counts); at least one composition must finish.
    /// </summary>
    public static async Task<ConfigurationReads> ReadsAsync(IDictionary<string, string?> settings, params IReadOnlyCollection<string>[] leftOut)
    {
        var reads = new ConfigurationReads();
        var finished = 0;
        foreach (var omitted in leftOut.Prepend([]))
        {
            try
            {
                await ComposeAsync(settings.Where(s => !omitted.Contains(s.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(), reads);
                finished++;
            }
            catch (InvalidOperationException)
            {
                // The host refusing these settings at start, e.g. kubernetes discovery outside a pod, or no Polygon key
                // while Polygon:Required is set.
            }
        }
        if (finished == 0) throw new Xunit.Sdk.XunitException("the host refused every composition of the manifests' settings");
        return reads;
    }

    private static async Task ComposeAsync(IDictionary<string, string?> settings, ConfigurationReads reads)
    {
        var builder = QuotesApp.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.Sources.Add(reads); // last added is asked first: it sees every lookup
        var services = builder.Services;
        var app = await QuotesApp.BuildAsync(builder);
        try
        {
            _ = app.Services.GetRequiredService<IServer>(); // runs the ConfigureKestrel callbacks
            _ = app.Services.GetRequiredService<AkkaConfigurationBuilder>(); // runs the AddAkka callbacks
            foreach (var options in services.Select(d => d.ServiceType)
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
