namespace Quotes.LoadTest;

/// <summary>What to run: N clients × K symbols drawn from a universe of U, some of them stuck, a warm-up then a measured window.</summary>
public sealed record LoadOptions
{
    public required Uri Url { get; init; }
    public required string Key { get; init; }
    public int Clients { get; init; } = 100;
    public int SymbolsPerClient { get; init; } = 50;
    public int Universe { get; init; } = 500;
    public double StuckFraction { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public int Seed { get; init; } = 7;
    public string? Output { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        return new LoadOptions
        {
            Url = new Uri(Get("url", "ws://localhost:5000/ws")),
            Key = Get("key", Environment.GetEnvironmentVariable("AKKAQUOTES_KEY") ?? ""),
            Clients = int.Parse(Get("clients", "100")),
            SymbolsPerClient = int.Parse(Get("symbols", "50")),
            Universe = int.Parse(Get("universe", "500")),
            StuckFraction = double.Parse(Get("stuck", "0"), System.Globalization.CultureInfo.InvariantCulture),
            Warmup = TimeSpan.FromSeconds(double.Parse(Get("warmup", "5"), System.Globalization.CultureInfo.InvariantCulture)),
            Duration = TimeSpan.FromSeconds(double.Parse(Get("duration", "30"), System.Globalization.CultureInfo.InvariantCulture)),
            Seed = int.Parse(Get("seed", "7")),
            Output = values.GetValueOrDefault("out"),
        };
    }
}
