using System.Text.Json.Serialization;

namespace Quotes.LoadTest;

/// <summary>
/// What one run measured, written as JSON. <see cref="Quotes"/> and <see cref="Frames"/> are counted over the measured
/// window only, which lasted <see cref="Seconds"/>; <see cref="PerUrl"/> splits them by endpoint, and <see cref="Cpu"/>
/// holds the CPU time of the watched processes over the same window (empty unless <c>--cpu-pids</c> was given).
/// <see cref="SilentClients"/> counts the reading clients (stuck ones are not reading) that received no quote at all in the
/// window: a healthy run has none, and totals alone would hide them behind the clients that did stream.
/// </summary>
public sealed record LoadReport(
    int Clients, int StuckClients, int SymbolsPerClient, int Universe, double Seconds,
    long Quotes, double QuotesPerSecond, long Frames, double FramesPerSecond,
    long P50Ms, long P90Ms, long P99Ms, long P999Ms, long MaxMs,
    long SeqGaps, long Errors, long Disconnects, int SilentClients)
{
    /// <summary>Quotes per client frame over the window (frames are what each send costs; quotes are what clients get).</summary>
    public double QuotesPerFrame => Frames == 0 ? 0 : Math.Round((double)Quotes / Frames, 2);

    public IReadOnlyList<UrlReport> PerUrl { get; init; } = [];

    public IReadOnlyList<ProcessCpu> Cpu { get; init; } = [];
}

/// <summary>
/// One endpoint's share of the window: its clients (reading ones included in <see cref="Clients"/>), quotes and frames,
/// and its reading clients that received no quote in it.
/// </summary>
public sealed record UrlReport(string Url, int Clients, long Quotes, double QuotesPerSecond, long Frames, double FramesPerSecond, double QuotesPerFrame,
    int SilentClients);

/// <summary>
/// One process's CPU over the window, in clock ticks (<c>getconf CLK_TCK</c>, 100 on Linux) as read from
/// <c>/proc/PID/stat</c> (utime + stime) at its start and end, and as seconds and cores (-1 when unreadable).
/// </summary>
public sealed record ProcessCpu(int Pid, long StartTicks, long EndTicks, double CpuSeconds, double Cores);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class LoadJsonContext : JsonSerializerContext;
