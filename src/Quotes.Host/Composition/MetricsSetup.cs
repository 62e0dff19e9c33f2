using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Quotes.Actors.Sessions;
using Quotes.Actors.Telemetry;
using Quotes.Host.Auth;

namespace Quotes.Host.Composition;

/// <summary>
/// Metrics with OpenTelemetry: the <c>AkkaQuotes</c> meter (<see cref="QuotesMetrics"/>), ASP.NET Core's and the runtime's,
/// exported in Prometheus text at <c>GET /metrics</c> and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, over OTLP.
/// <c>/metrics</c> needs the admin key on the main port; with <c>Metrics:Port</c> it is served, without a key, only on a
/// listener of its own on that port (the interface of the main one), which serves nothing else.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static void AddQuotesMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SocketCounters>();
        builder.Services.AddSingleton<QuotesMetrics>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("akkaquotes"))
            .WithMetrics(metrics => metrics
                .AddMeter(QuotesMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        // OpenTelemetry listens to every meter of a name in the process; a node exports only its own host's instruments
        // (those its IMeterFactory made), so nodes sharing a process (specs) never report each other's figures.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            var own = services.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope switch
            {
                IMeterFactory factory when !ReferenceEquals(factory, own) => MetricStreamConfiguration.Drop, // another host's
                null when instrument.Meter.Name == QuotesMetrics.MeterName => MetricStreamConfiguration.Drop, // a detached set (QuotesMetrics.Detached)
                null when instrument.Meter.Name == "System.Runtime" && QuotesMetrics.ThreadPoolGaugeNames.Contains(instrument.Name)
                    => MetricStreamConfiguration.Drop, // declared counters though they go down: the AkkaQuotes meter exports them
                _ => null,
            });
        });
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();

        if (builder.AddSettingsNow<MetricsOptions>(MetricsOptions.Section, o => o.Problems()).Port is not { } port) return;
        // Listeners named in Kestrel:Endpoints replace the URLs (ASP.NET Core logs "Overriding address(es)"): then the metrics
        // listener is one more endpoint there, on the first one's interface.
        if (ConfiguredEndpointUrls(builder) is [var first, ..])
            builder.Configuration.AddInMemoryCollection([new($"Kestrel:Endpoints:{MetricsEndpoint}:Url", MetricsUrl(first, port))]);
        else builder.WebHost.UseUrls([.. MainUrls(builder), MetricsUrl(MainUrls(builder)[0], port)]);
    }

    /// <summary>The name of the metrics listener among <c>Kestrel:Endpoints</c>, when those are configured.</summary>
    private const string MetricsEndpoint = "QuotesMetrics";

    private static string[] ConfiguredEndpointUrls(WebApplicationBuilder builder) =>
        builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().Where(url => url.Length > 0).ToArray();

    /// <summary>The metrics listener (<c>Metrics:Port</c>) serves /metrics and nothing else: before authentication, so no other route answers there, not even with a 401.</summary>
    public static void UseMetricsListenerOnly(this WebApplication app)
    {
        if (MetricsPort(app) is not { } port) return;
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == port && !context.Request.Path.Equals(Path, StringComparison.Ordinal))
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            else await next(context);
        });
    }

    public static void MapQuotesMetrics(this WebApplication app)
    {
        if (MetricsPort(app) is { } port) app.MapPrometheusScrapingEndpoint(Path).RequireHost($"*:{port}");
        else app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Quotes.Host.Auth.QuotesAuth.AdminPolicy);
    }

    private static int? MetricsPort(WebApplication app) => app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port;

    /// <summary>The main listeners as configured (<c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, or Kestrel's default).</summary>
    private static string[] MainUrls(WebApplicationBuilder builder)
    {
        var split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        if (builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } urls) return urls.Split(';', split);
        if (builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey) is { Length: > 0 } ports) return ports.Split(';', split).Select(p => $"http://*:{p}").ToArray();
        return ["http://localhost:5000"];
    }

    /// <summary>The metrics listener, on the main listener's interface.</summary>
    private static string MetricsUrl(string main, int port)
    {
        var host = main.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        return $"http://{host}:{port}";
    }
}
