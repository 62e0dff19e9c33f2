using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Supervision;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// The pipeline's supervision decider for the stages that handle one frame at a time (parse, apply): whatever one frame
/// throws costs that frame only (<see cref="Directive.Resume"/>), is counted, and is logged at most once per
/// <see cref="LogEvery"/> with the stage's name. Resumed elements vanish silently otherwise. Logs name the exception and
/// its message, never the frame (nothing in a frame is a secret, but nothing of it belongs in a log either).
/// Never used on the socket source: resuming a dead socket reads it forever.
/// </summary>
public sealed class FrameFaults(Action<string, Exception, long> log, Action? counted = null)
{
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private long _count;
    private long _loggedAt = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 3600;

    /// <summary>Frames skipped because a stage threw on them.</summary>
    public long Count => Interlocked.Read(ref _count);

    public Decider For(string stage) => thrown =>
    {
        // An asynchronous stage's task fails with its exception wrapped: logged as what was thrown.
        var e = thrown is AggregateException { InnerExceptions.Count: 1 } wrapped ? wrapped.InnerExceptions[0] : thrown;
        var count = Interlocked.Increment(ref _count);
        counted?.Invoke();
        var last = Interlocked.Read(ref _loggedAt);
        if (Stopwatch.GetElapsedTime(last) >= LogEvery && Interlocked.CompareExchange(ref _loggedAt, Stopwatch.GetTimestamp(), last) == last)
            log(stage, e, count);
        return Directive.Resume;
    };

    /// <summary>The decider of <paramref name="stage"/> and its name, as one set of attributes.</summary>
    public Attributes Supervising(string stage) => Attributes.CreateName(stage).And(ActorAttributes.CreateSupervisionStrategy(For(stage)));
}
