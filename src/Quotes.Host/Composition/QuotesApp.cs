using Akka.Hosting;
using Quotes.Host.Admin;
using Quotes.Host.Api;
using Quotes.Host.Dashboard;
using Quotes.Host.Facade;
using Quotes.Host.Health;
using Quotes.Host.WebSockets;
using Quotes.Simulator;
using Serilog;

namespace Quotes.Host.Composition;

/// <summary>
/// Builds the whole server from the command line (<c>Program</c>), or on a builder made by <see cref="CreateBuilder"/>
/// with configuration sources of the caller's own.
/// </summary>
public static class QuotesApp
{
    public static Task<WebApplication> BuildAsync(string[] args) => BuildAsync(CreateBuilder(args));

    public static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = DashboardFiles.WebRoot });

    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder)
    {
        var secrets = new SecretRedactor();
        builder.Services.AddSingleton(secrets); // keys that arrive later (a reload of Auth:ApiKeys) are masked too
        builder.AddQuotesLogging(secrets);

        var trusted = builder.AddSettingsNow<TrustedProxyOptions>(TrustedProxyOptions.Section, o => o.Problems());
        builder.AddKestrelLimits(trusted);
        builder.AddForwardedHeaders(trusted);
        builder.AddSocketTransport();
        var node = builder.AddAkkaNodeSettings();
        var auth = builder.AddClientKeys(node);
        var admin = builder.AddAdminKey();
        var jwt = builder.AddQuotesAuthentication();
        var protocol = builder.AddProtocolLimits();
        var polygon = await builder.AddUpstreamAsync();
        foreach (var key in auth.ApiKeys) secrets.Add(key);
        secrets.Add(polygon.ApiKey);
        secrets.Add(admin.ApiKey);
        secrets.Add(jwt.SigningKey);
        builder.Services.AddQuotesHealth();
        builder.AddQuotesMetrics();
        builder.Services.AddQuotesApi(builder.Configuration);
        builder.AddQuotesAkka(node);

        var app = builder.Build();
        app.ValidateSettingsNow(); // every options class's checks, before anything is mapped or started
        app.UseForwardedHeaders(); // first: everything after it sees the client's scheme, host and address
        app.UseCors(Quotes.Host.Auth.OriginPolicy.CorsPolicy);
        app.UseMetricsListenerOnly();
        // Before the rate limiter: its per-key buckets go by the authenticated caller, and a refused request spends none.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePerKeyRateLimits();
        app.UseDashboard();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = protocol.Ping, KeepAliveTimeout = protocol.PongWait });
        app.MapQuotesHealth();
        app.MapQuoteSockets();
        app.MapMarketApi();
        app.MapUnknownApiPaths();
        app.MapAdminApi();
        app.MapQuotesMetrics();
        app.MapPolygonSockets();
        app.MapPolygonRestFacade();
        app.MapOpenApi();
        app.HandOverQuotesWhenStopping();
        app.PrintBannerWhenStarted(auth, polygon, app.Services.GetService<RunningSimulator>() is not null);
        return app;
    }

    /// <summary>
    /// After a stop: lets the finalizer report any faulted task nobody observed (logged as an error, so a normal stop
    /// that leaves one behind is visible), then flushes the log, once no other app of this process (nodes of a test
    /// cluster run side by side) still writes to it.
    /// </summary>
    public static void FlushAtExit()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (Interlocked.Decrement(ref _logging) <= 0) Log.CloseAndFlush();
    }

    private static int _unobservedHandler;
    private static int _logging; // apps of this process whose logger was created and not yet flushed

    private static void AddQuotesLogging(this WebApplicationBuilder builder, SecretRedactor secrets)
    {
        var logging = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning) // one line per REST attempt otherwise
                                                                                  // An unready node is normal while it starts or the upstream reconnects; /health/ready says so and the upstream
                                                                                  // logs its own state changes. The health-check service would log an error for every probe meanwhile.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", Serilog.Events.LogEventLevel.Fatal)
            .Filter.ByExcluding(Quotes.Host.Bootstrap.BootstrapLogFilter.IsPeerNotListeningYet)
            .Filter.ByExcluding(AkkaLogNoise.IsNoise)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3}] {Message:lj}{NewLine}{Exception}");
        // Created with the services, so that sinks, enrichers and settings registered there join it (Serilog's ReadFrom.Services).
        // Akka.Logger.Serilog writes to the static logger, so this one becomes it, before anything logs; it stays open
        // until FlushAtExit, past the host's disposal.
        builder.Services.AddSerilog();
        builder.Services.AddSingleton<ILoggerFactory>(services =>
        {
            logging.ReadFrom.Services(services);
            logging.Enrich.With(secrets); // the last enricher: whatever the others add is masked too, before any sink sees it
            Log.Logger = logging.CreateLogger();
            Interlocked.Increment(ref _logging);
            return new Serilog.Extensions.Logging.SerilogLoggerFactory(Log.Logger);
        });
        if (Interlocked.Exchange(ref _unobservedHandler, 1) == 0)
            TaskScheduler.UnobservedTaskException += (_, e) => UnobservedTasks.Report(e.Exception);
    }
}
