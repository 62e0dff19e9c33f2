using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Metrics;

/// <summary>
/// <c>/metrics</c> after real traffic: every series the operators' kit names is exported, and each one moved the way the
/// traffic says it must.
/// </summary>
public sealed class MetricsSpecs(MetricsScenario scenario) : IClassFixture<MetricsScenario>
{
    [Fact]
    public async Task Every_named_series_is_exported_and_moved_by_the_traffic()
    {
        var start = scenario.AtStart;
        var symbols = MetricsScenario.Symbols.Length;

        // Gauges refreshed from the hub and the shard region every few seconds: wait for them, never sleep.
        MetricsScrape first = null!;
        await Eventually.HoldsAsync(async () =>
        {
            first = await scenario.ScrapeAsync();
            Assert.Equal(1, first.Value("quotes_connections", "endpoint=/ws"));
            Assert.Equal(1, first.Value("quotes_connections", "endpoint=/polygon"));
            Assert.Equal(symbols, first.Value("quotes_subscriptions"));
            Assert.Equal(symbols, first.Value("quotes_symbols_held"));
            Assert.Equal(symbols, first.Value("quotes_upstream_symbols"));
            Assert.True(first.Value("quotes_entities") >= symbols);
            Assert.True(first.Value("quotes_shards") >= 1);
            Assert.Equal(1, first.Value("quotes_upstream_state", "state=connected"));
            Assert.Equal(0, first.Value("quotes_upstream_state", "state=down"));
            Assert.True(first.Value("quotes_upstream_evictions_total") >= 1, "the eviction was counted");
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));

        Assert.Equal(0, start.Value("quotes_upstream_evictions_total"));
        Assert.Equal(0, start.Value("quotes_upstream_reconnects_total"));
        // Exported before the first conflation, so that an alert on its rate has a series; a node that keeps up conflates nothing.
        Assert.Equal(0, start.Value("quotes_upstream_conflated_total"));
        Assert.Equal(0, first.Value("quotes_upstream_conflated_total"));
        Assert.Equal(0, first.Value("quotes_upstream_state", "state=stale"));
        Assert.True(first.Value("quotes_upstream_reconnects_total") >= 2, "the drop and the eviction each scheduled a reconnect");
        Assert.Equal(1, first.Value("quotes_upstream_holder"));
        Assert.True(first.Value("quotes_upstream_received_total") > 0);
        Assert.True(first.Value("quotes_upstream_lag_seconds_count") > 0);
        Assert.True(first.Value("quotes_upstream_last_aggregate_age_seconds") >= 0);
        Assert.True(first.Value("quotes_delivery_offered_total") >= symbols);
        Assert.True(first.Value("quotes_delivery_latency_seconds_count") > 0);
        Assert.True(first.Value("quotes_socket_frames_total") > 0);
        Assert.Equal(1, first.Value("quotes_protocol_errors_total", "code=BAD_JSON"));
        Assert.Equal(1, first.Value("quotes_protocol_errors_total", "code=CAPACITY"));
        Assert.Equal(1, first.Value("quotes_protocol_errors_total", "code=auth_failed"));
        Assert.True(first.Value("quotes_rest_rate_limited_total", "route=/api/market/status") >= 1);
        Assert.Equal(1, first.Value("quotes_provider_requests_total", "route=reference/tickers", "outcome=ok"));
        Assert.Equal(1, first.Value("quotes_cache_requests_total", "kind=search", "result=miss"));
        Assert.Equal(1, first.Value("quotes_cache_requests_total", "kind=search", "result=hit"));
        Assert.Equal(1, first.Value("quotes_cache_requests_total", "kind=relay", "result=miss"));
        Assert.Equal(1, first.Value("quotes_cache_requests_total", "kind=relay", "result=hit"));
        Assert.Equal(0, first.Value("quotes_socket_closes_total", "reason=slow_consumer"));
        Assert.True(first.Value("quotes_hub_backlog", "kind=quotes") >= 0);
        Assert.True(first.Value("quotes_hub_mailbox") >= 0);
        Assert.True(first.Value("quotes_delivery_conflated_total") >= 0); // moved by a stuck client: StuckClientSpecs
        Assert.True(first.Value("quotes_hub_skipped_total") >= 0);
        Assert.Contains("http_server_request_duration_seconds_count", first.Names); // ASP.NET Core instrumentation
        Assert.Contains(first.Names, n => n.StartsWith("dotnet_gc_", StringComparison.Ordinal)); // runtime instrumentation

        // The stream goes on: bytes and frames grow between two scrapes.
        var received = scenario.Client.Frames.Count;
        await scenario.Client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"), from: scenario.Client.Received.Count);
        MetricsScrape second = null!;
        await Eventually.HoldsAsync(async () =>
        {
            second = await scenario.ScrapeAsync();
            Assert.True(second.Value("quotes_socket_sent_bytes_total") > first.Value("quotes_socket_sent_bytes_total"), "bytes sent grew");
        });
        Assert.True(scenario.Client.Frames.Count > received);
        Assert.True(second.Value("quotes_socket_frames_total") > first.Value("quotes_socket_frames_total"));
        Assert.True(second.Value("quotes_delivery_offered_total") > first.Value("quotes_delivery_offered_total"));
        Assert.True(second.Value("quotes_upstream_received_total") > first.Value("quotes_upstream_received_total"));
    }
}
