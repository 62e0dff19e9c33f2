using System.Text.Json.Serialization;

namespace Quotes.LoadTest;

/// <summary>What one run measured, written as JSON.</summary>
public sealed record LoadReport(
    int Clients, int StuckClients, int SymbolsPerClient, int Universe, double Seconds,
    long Quotes, double QuotesPerSecond, long Frames, double FramesPerSecond,
    long P50Ms, long P90Ms, long P99Ms, long P999Ms, long MaxMs,
    long SeqGaps, long Errors, long Disconnects);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class LoadJsonContext : JsonSerializerContext;
