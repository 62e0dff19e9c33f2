using System.Text;
using Quotes.Actors.Upstream.Pipeline;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>What the pipeline keeps when it falls behind: every status, the newest aggregate per symbol.</summary>
public class UpstreamBatchSpecs
{
    internal static ParsedFrame Frame(string json) => ParsedFrame.Parse(InboundFrame.Of(Encoding.UTF8.GetBytes(json)));

    internal static string Bar(string symbol, decimal close, long end) => $$"""{"ev":"A","sym":"{{symbol}}","c":{{close}},"s":{{end - 1000}},"e":{{end}}}""";

    internal static string Status(string status) => $$"""{"ev":"status","status":"{{status}}","message":"m"}""";

    [Fact]
    public void One_frame_is_passed_on_as_it_came()
    {
        var frame = Frame($"[{Bar("AAA", 1, 2000)},{Status("success")},{Bar("BBB", 2, 2000)}]");

        var batch = UpstreamBatch.Seed(frame);

        Assert.Same(frame.Bars, batch.Bars);
        Assert.Equal(["AAA", "BBB"], batch.Bars.Select(b => b.Symbol));
        Assert.Equal("success", Assert.Single(batch.Statuses).Status);
        Assert.Equal(0, batch.Conflated);
    }

    [Fact]
    public void Later_frames_keep_every_status_in_order_and_the_newest_window_per_symbol()
    {
        var first = Frame($"[{Status("auth_success")},{Bar("AAA", 1, 2000)},{Bar("BBB", 1, 2000)}]");
        var second = Frame($"[{Bar("AAA", 2, 3000)},{Status("success")}]");
        var third = Frame($"[{Bar("BBB", 9, 1000)},{Bar("CCC", 3, 3000)},{Status("max_connections")}]");

        var batch = UpstreamBatch.Seed(first).Add(second).Add(third);

        Assert.Equal(["auth_success", "success", "max_connections"], batch.Statuses.Select(s => s.Status));
        // AAA: the later window replaces the earlier one; BBB: a late window (Polygon correcting an old bar) never replaces a newer one.
        Assert.Equal([("AAA", 2m), ("BBB", 1m), ("CCC", 3m)], batch.Bars.Select(b => (b.Symbol, b.Close)));
        Assert.Equal(2, batch.Conflated);
        // The frames themselves are not changed: the seed's lists were copied on the first fold.
        Assert.Equal(2, first.Bars!.Count);
        Assert.Single(first.Statuses!);
    }

    [Fact]
    public void Malformed_counts_add_up_and_frames_without_aggregates_cost_no_index()
    {
        var batch = UpstreamBatch.Seed(Frame("not json")).Add(Frame($"[{Status("success")},{{\"ev\":\"A\"}}]")).Add(Frame("[]"));

        Assert.Equal(2, batch.Malformed);
        Assert.Empty(batch.Bars);
        Assert.Equal("success", Assert.Single(batch.Statuses).Status);
    }
}
