using Quotes.LoadTest;
using Quotes.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>The load tool measures a real server: a short run, small numbers. Figures come from benchmarks, not from here.</summary>
public sealed class LoadToolSpecs(ITestOutputHelper output)
{
    [Fact]
    public void The_histogram_answers_percentiles()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++) histogram.Record(ms);
        Assert.Equal(500, histogram.Percentile(50));
        Assert.Equal(990, histogram.Percentile(99));
        Assert.Equal(1000, histogram.Percentile(100));
        Assert.Equal(1000, histogram.Max);
    }

    [Fact]
    public async Task A_short_run_reports_quotes_latency_and_no_errors()
    {
        await using var server = await QuotesServer.StartAsync(simulatorOptions: new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10 });

        var report = await LoadRunner.RunAsync(new LoadOptions
        {
            Url = server.SocketUri(key: null), Key = QuotesServer.ClientKey, Clients = 20, SymbolsPerClient = 10, Universe = 50,
            StuckFraction = 0.1, Warmup = TimeSpan.FromSeconds(2), Duration = TimeSpan.FromSeconds(3),
        });
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, LoadJsonContext.Default.LoadReport));

        Assert.Equal(2, report.StuckClients);
        Assert.True(report.Quotes > 1000, $"{report.Quotes} quotes");
        Assert.True(report.Frames > 0 && report.Frames <= report.Quotes);
        Assert.InRange(report.P50Ms, 0, report.P99Ms);
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.Disconnects);
    }
}
