using System.Net;
using System.Net.Http.Headers;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Metrics;

/// <summary>Who may read <c>/metrics</c>: the admin key on the main port, or anyone on the <c>Metrics:Port</c> listener, which serves nothing else.</summary>
public sealed class MetricsEndpointSpecs
{
    private const string AdminKey = "metrics-endpoint-admin-key";

    [Fact]
    public async Task On_the_main_port_metrics_need_the_admin_key()
    {
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey });
        using var http = server.CreateHttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", QuotesServer.ClientKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);

        var scrape = await MetricsScrape.GetAsync(server.BaseUrl, AdminKey);
        Assert.Equal(1, scrape.Value("quotes_upstream_holder"));
    }

    [Fact]
    public async Task Without_an_admin_key_configured_metrics_on_the_main_port_are_disabled()
    {
        await using var server = await QuotesServer.StartAsync();
        using var http = server.CreateHttpClient(QuotesServer.ClientKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task With_a_metrics_port_metrics_are_served_there_without_a_key_and_only_there()
    {
        var port = NodeProcess.FreePort();
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = AdminKey,
            ["Metrics:Port"] = port.ToString(),
        });
        var metricsUrl = new Uri($"http://127.0.0.1:{port}");

        var scrape = await MetricsScrape.GetAsync(metricsUrl, adminKey: null);
        Assert.Equal(1, scrape.Value("quotes_upstream_holder"));

        using var metricsPort = new HttpClient { BaseAddress = metricsUrl };
        Assert.Equal(HttpStatusCode.NotFound, (await metricsPort.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await metricsPort.GetAsync("/admin/cluster")).StatusCode);

        // The main port still serves the API, but not /metrics, not even with the admin key.
        using var main = server.CreateHttpClient();
        Assert.True((await main.GetAsync("/health/live")).IsSuccessStatusCode);
        main.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, (await main.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task The_thread_pools_queue_length_and_thread_count_are_exported_as_gauges_not_counters()
    {
        // The runtime declares both counters; both go down, and Prometheus's rate() would read each fall as a reset.
        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Admin:ApiKey"] = AdminKey });
        using var http = server.CreateHttpClient(AdminKey);
        var text = await http.GetStringAsync("/metrics");
        var types = text.Split('\n').Where(l => l.StartsWith("# TYPE dotnet_thread_pool_", StringComparison.Ordinal)).Order().ToList();

        Assert.Equal(
        [
            "# TYPE dotnet_thread_pool_queue_length gauge",
            "# TYPE dotnet_thread_pool_thread_count gauge",
            "# TYPE dotnet_thread_pool_work_item_count_total counter", // completed work items: a counter indeed
        ], types);
        Assert.True(MetricsScrape.Parse(text).Value("dotnet_thread_pool_thread_count") >= 1, "a pool with no thread answered the scrape");
    }
}
