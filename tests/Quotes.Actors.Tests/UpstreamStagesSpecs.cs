using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Quotes.Actors.Upstream.Pipeline;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>The pipeline's frame stages on their own, driven by stream probes.</summary>
public sealed class UpstreamStagesSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private readonly List<(string Stage, string Error, long Count)> _logged = [];

    private FrameFaults Faults() => new((stage, e, count) => { lock (_logged) _logged.Add((stage, e.GetType().Name, count)); });

    private static InboundFrame Text(string json) => InboundFrame.Of(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task The_parse_stage_resumes_past_a_frame_that_throws_and_logs_it_with_its_name()
    {
        var faults = Faults();
        var poison = Text("poison");
        var (source, sink) = this.SourceProbe<InboundFrame>()
            .Via(UpstreamStages.Parse(faults, f => f.Text == poison.Text ? throw new InvalidOperationException("bad frame") : ParsedFrame.Parse(f)))
            .ToMaterialized(this.SinkProbe<ParsedFrame>(), Keep.Both)
            .Run(Sys.Materializer());

        await sink.RequestAsync(3);
        await source.SendNextAsync(Text($"[{UpstreamBatchSpecs.Bar("AAA", 1, 2000)}]"));
        await source.SendNextAsync(poison);
        await source.SendNextAsync(poison);
        await source.SendNextAsync(Text($"[{UpstreamBatchSpecs.Bar("BBB", 2, 2000)}]"));

        Assert.Equal("AAA", Assert.Single((await sink.ExpectNextAsync()).Bars!).Symbol);
        Assert.Equal("BBB", Assert.Single((await sink.ExpectNextAsync()).Bars!).Symbol);
        Assert.Equal(2, faults.Count);
        // Logged once for both: at most once per FrameFaults.LogEvery.
        Assert.Equal(("upstream-parse", nameof(InvalidOperationException), 1L), Assert.Single(_logged));
        await source.SendCompleteAsync();
        await sink.ExpectCompleteAsync();
    }

    [Fact]
    public async Task Frames_that_arrive_while_the_apply_stage_is_busy_are_conflated_without_losing_a_status()
    {
        var (source, sink) = this.SourceProbe<ParsedFrame>()
            .Via(UpstreamStages.Conflate())
            .ToMaterialized(this.SinkProbe<UpstreamBatch>(), Keep.Both)
            .Run(Sys.Materializer());

        await sink.EnsureSubscriptionAsync();
        // Nothing requested downstream: the conflate stage takes every frame and folds it.
        await source.SendNextAsync(UpstreamBatchSpecs.Frame($"[{UpstreamBatchSpecs.Status("auth_success")},{UpstreamBatchSpecs.Bar("AAA", 1, 1000)}]"));
        await source.SendNextAsync(UpstreamBatchSpecs.Frame($"[{UpstreamBatchSpecs.Bar("AAA", 2, 2000)}]"));
        await source.SendNextAsync(UpstreamBatchSpecs.Frame($"[{UpstreamBatchSpecs.Status("max_connections")},{UpstreamBatchSpecs.Bar("AAA", 3, 3000)}]"));

        await sink.RequestAsync(1);
        var batch = await sink.ExpectNextAsync();

        Assert.Equal(["auth_success", "max_connections"], batch.Statuses.Select(s => s.Status));
        Assert.Equal(3m, Assert.Single(batch.Bars).Close);
        Assert.Equal(2, batch.Conflated);
    }

    [Fact]
    public async Task The_apply_stage_resumes_past_a_batch_that_throws()
    {
        var faults = Faults();
        var applied = new List<string>();
        var (source, done) = this.SourceProbe<UpstreamBatch>()
            .ToMaterialized(UpstreamStages.Apply(faults, b =>
            {
                if (b.Bars.Count > 0 && b.Bars[0].Symbol == "BAD") throw new ArgumentException("cannot apply");
                applied.Add(b.Bars[0].Symbol);
                return Task.CompletedTask;
            }), Keep.Both)
            .Run(Sys.Materializer());

        foreach (var symbol in new[] { "AAA", "BAD", "CCC" })
            await source.SendNextAsync(UpstreamBatch.Seed(UpstreamBatchSpecs.Frame($"[{UpstreamBatchSpecs.Bar(symbol, 1, 1000)}]")));
        await source.SendCompleteAsync();
        await done.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["AAA", "CCC"], applied);
        Assert.Equal(("upstream-apply", nameof(ArgumentException), 1L), Assert.Single(_logged));
    }

    [Fact]
    public async Task A_slow_acknowledgement_conflates_what_arrives_meanwhile_instead_of_queueing_it()
    {
        var handed = new List<UpstreamBatch>();
        var acks = new List<TaskCompletionSource>();
        var handedOver = new SemaphoreSlim(0);
        var source = this.SourceProbe<ParsedFrame>()
            .To(UpstreamStages.ConflateAndApply(Faults(), batch =>
            {
                var ack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (handed) { handed.Add(batch); acks.Add(ack); }
                handedOver.Release();
                return ack.Task;
            }))
            .Run(Sys.Materializer());

        // Two hand-overs in flight (UpstreamStages.ApplyParallelism), neither acknowledged.
        await source.SendNextAsync(UpstreamBatchSpecs.Frame($"[{UpstreamBatchSpecs.Bar("AAA", 1, 1000)}]"));
        Assert.True(await handedOver.WaitAsync(RemainingOrDefault));
        await source.SendNextAsync(UpstreamBatchSpecs.Frame($"[{UpstreamBatchSpecs.Bar("AAA", 2, 2000)}]"));
        Assert.True(await handedOver.WaitAsync(RemainingOrDefault));
        // A burst meanwhile: the socket side keeps reading (each send waits for the stage's demand) while nothing is handed over.
        for (var i = 3; i <= 102; i++)
        {
            var status = i == 50 ? $"{UpstreamBatchSpecs.Status("max_connections")}," : "";
            await source.SendNextAsync(UpstreamBatchSpecs.Frame($"[{status}{UpstreamBatchSpecs.Bar("AAA", i, i * 1000)},{UpstreamBatchSpecs.Bar("BBB", i, i * 1000)}]"));
        }
        Assert.False(await handedOver.WaitAsync(TimeSpan.FromMilliseconds(200)), "nothing is handed over before an acknowledgement");

        // Acknowledged one by one until the newest aggregates arrive.
        for (var acked = 0; ; acked++)
        {
            lock (handed)
            {
                if (handed[^1].Bars.Any(b => b.Symbol == "BBB" && b.Close == 102m)) break;
                acks[acked].SetResult();
            }
            Assert.True(await handedOver.WaitAsync(RemainingOrDefault));
        }

        lock (handed)
        {
            // Nothing queued between the stages: the hundred frames came as one batch.
            Assert.Equal(3, handed.Count);
            var last = handed[^1];
            Assert.Equal([("AAA", 102m), ("BBB", 102m)], last.Bars.Select(b => (b.Symbol, b.Close)).OrderBy(b => b.Symbol));
            Assert.Equal(198, last.Conflated);
            // Every aggregate reached a hand-over or was counted as conflated; the one status too.
            Assert.Equal(2 + 200, handed.Sum(b => b.Bars.Count + b.Conflated));
            Assert.Equal(["max_connections"], handed.SelectMany(b => b.Statuses).Select(s => s.Status));
        }
        await source.SendCompleteAsync();
        lock (handed) foreach (var ack in acks) ack.TrySetResult();
    }
}
