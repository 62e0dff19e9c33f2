using Quotes.LoadTest;
using Quotes.Simulator;
using Quotes.Testing;
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
        // Latency is read from each quote's own timestamp: a misread one (absent, or in seconds) would put it at the
        // histogram's one-minute ceiling. On loopback it is far below this generous bound.
        Assert.InRange(report.P99Ms, 0, 10_000);
        Assert.InRange(report.MaxMs, report.P99Ms, 30_000);
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.Disconnects);
        Assert.Equal(0, report.SilentClients); // every reading client streamed
    }

    [Fact]
    public async Task Clients_that_receive_nothing_in_the_window_are_reported_as_silent()
    {
        // Two hosts: one whose market trades, one whose simulated market is closed (nothing trades there, so its clients get
        // at most the provider's snapshot, read over REST once at subscribe time: the long warm-up leaves that out of the
        // window even on a busy machine). Clients alternate between them.
        await using var trading = await QuotesServer.StartAsync(simulatorOptions: new SimulatorOptions { ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10 });
        // Its own calendar may say open (the real one, or one an embedded simulator forced for this test process): a
        // long StaleAfter keeps a slow run from replacing its silent feed, whose refill would send snapshots in the window.
        await using var closed = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Quotes:StaleAfter"] = "00:10:00" }, simulatorOptions: new SimulatorOptions
        {
            ApiKeys = [QuotesServer.PolygonKey], EventsPerSecond = 10, MarketState = Quotes.Contracts.MarketStates.Closed,
        });

        var report = await LoadRunner.RunAsync(new LoadOptions
        {
            Urls = [trading.SocketUri(key: null), closed.SocketUri(key: null)], Key = QuotesServer.ClientKey, Clients = 20, SymbolsPerClient = 10,
            Universe = 50, StuckFraction = 0.1, Warmup = TimeSpan.FromSeconds(6), Duration = TimeSpan.FromSeconds(3),
        });
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, LoadJsonContext.Default.LoadReport));

        // Clients 0 and 1 are stuck (one per host, not reading, so not counted); of the 18 reading ones, the 9 on the
        // closed market got nothing and are reported, the 9 on the trading one streamed.
        Assert.Equal(2, report.StuckClients);
        Assert.Equal(9, report.SilentClients);
        Assert.Equal([0, 9], report.PerUrl.Select(u => u.SilentClients));
        Assert.Equal(0, report.PerUrl[1].Quotes);
        Assert.True(report.PerUrl[0].Quotes > 0, $"{report.PerUrl[0].Quotes} quotes from the trading host");
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.Disconnects);
    }
}
