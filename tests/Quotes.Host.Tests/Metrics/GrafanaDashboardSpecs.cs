using System.Text.Json;
using Xunit;

namespace Quotes.Host.Tests.Metrics;

/// <summary>
/// <c>deploy/grafana/akkaquotes.json</c> cannot drift from the code: every metric its panels and variables read is one a
/// node really exports after traffic (the scrape of <see cref="MetricsScenario"/>).
/// </summary>
public sealed class GrafanaDashboardSpecs(MetricsScenario scenario) : IClassFixture<MetricsScenario>
{
    private static readonly string DashboardPath = Path.Combine(NodeTestRunner.RepositoryRoot(), "deploy", "grafana", "akkaquotes.json");

    [Fact]
    public void Metric_names_are_read_the_way_Prometheus_reads_them()
    {
        Assert.Equal(["quotes_upstream_lag_seconds_bucket"],
            PromQl.MetricNames("""histogram_quantile(0.99, sum by (instance, le) (rate(quotes_upstream_lag_seconds_bucket{instance=~"$instance"}[$__rate_interval])))"""));
        Assert.Equal(["a_total", "b_total"], PromQl.MetricNames("""sum(rate(a_total{result="hit"}[5m])) / sum without (x) (b_total) > 0.5""").Order());
    }

    [Fact]
    public async Task Every_series_the_dashboard_reads_is_exported_by_a_node()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        var root = dashboard.RootElement;
        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        var rows = panels.Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Traffic", "Latency", "Upstream health", "Slow consumers and limits", "Per node"], rows);

        var expressions = panels.Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToList();
        Assert.True(expressions.Count >= 25, $"only {expressions.Count} expressions");
        // The node variable: label_values(metric, label) reads the metric.
        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
            if (variable.TryGetProperty("definition", out var definition) && definition.GetString() is { } query && query.StartsWith("label_values(", StringComparison.Ordinal))
                expressions.Add(("variable " + variable.GetProperty("name").GetString(), query["label_values(".Length..query.IndexOf(',')]));

        var exported = new HashSet<string>(StringComparer.Ordinal);
        await Quotes.Testing.Eventually.HoldsAsync(async () =>
        {
            // A scrape that reflects the scenario's traffic (the exporter may answer from a response cached for 300 ms).
            exported = (await scenario.ScrapeAsync()).Names.ToHashSet(StringComparer.Ordinal);
            Assert.Contains("http_server_request_duration_seconds_bucket", exported);
            Assert.Contains("quotes_rest_rate_limited_total", exported);
        });
        var missing = expressions.SelectMany(e => PromQl.MetricNames(e.Expr).Where(n => !exported.Contains(n)).Select(n => $"{e.Panel}: {n}")).ToList();
        Assert.True(missing.Count == 0, "the dashboard reads series no node exports:\n" + string.Join("\n", missing)
            + "\nexported: " + string.Join(" ", exported.Where(n => n.StartsWith("quotes_", StringComparison.Ordinal)).Order()));

        // Each part of the dashboard reads the series of its own family.
        var used = expressions.SelectMany(e => PromQl.MetricNames(e.Expr)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in new[] { "quotes_connections", "quotes_upstream_state", "quotes_upstream_lag_seconds_bucket", "quotes_delivery_latency_seconds_bucket",
                     "quotes_socket_closes_total", "quotes_hub_backlog", "quotes_upstream_last_aggregate_age_seconds", "quotes_upstream_evictions_total" })
            Assert.Contains(name, used);
    }
}
