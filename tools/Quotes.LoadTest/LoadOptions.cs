namespace Quotes.LoadTest;

/// <summary>
/// What to run: N clients × K symbols drawn from a universe of U, some of them stuck, a warm-up then a measured window.
/// Clients are spread round-robin over <see cref="Urls"/> (several nodes of one cluster); <see cref="Url"/> sets just one.
/// </summary>
public sealed record LoadOptions
{
    /// <summary>The first (or only) endpoint; setting it makes it the only one.</summary>
    public Uri Url
    {
        get => Urls.Count > 0 ? Urls[0] : throw new InvalidOperationException("no URL given");
        init => Urls = [value];
    }

    /// <summary>The endpoints; client <c>c</c> connects to <c>Urls[c % Urls.Count]</c>.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    public required string Key { get; init; }
    public int Clients { get; init; } = 100;
    public int SymbolsPerClient { get; init; } = 50;
    public int Universe { get; init; } = 500;
    public double StuckFraction { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public int Seed { get; init; } = 7;
    public string? Output { get; init; }

    /// <summary>
    /// Processes whose CPU time (Linux <c>/proc/PID/stat</c> utime+stime) is read at the start and end of the window
    /// (<c>--cpu-pids 123,456,self</c>: <c>self</c> is the load tool).
    /// </summary>
    public IReadOnlyList<int> CpuPids { get; init; } = [];

    /// <summary>
    /// Told each step as it happens: <c>"connected"</c> (every client connected and subscribed), <c>"window start"</c> and
    /// <c>"window end"</c> (the measured window), e.g. to sample other figures over the same window.
    /// </summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Clock ticks per second of <c>/proc</c> CPU times (<c>getconf CLK_TCK</c>; 100 on Linux).</summary>
    public int ClockTicksPerSecond { get; init; } = 100;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var urls = new List<Uri>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            // --url may be repeated, and each value may list several URLs separated by commas.
            if (name.Equals("url", StringComparison.OrdinalIgnoreCase)) urls.AddRange(SplitList(args[i + 1]).Select(u => new Uri(u)));
            else values[name] = args[i + 1];
        }
        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        return new LoadOptions
        {
            Urls = urls.Count > 0 ? urls : [new Uri("ws://localhost:5000/ws")],
            Key = Get("key", Environment.GetEnvironmentVariable("AKKAQUOTES_KEY") ?? ""),
            Clients = int.Parse(Get("clients", "100")),
            SymbolsPerClient = int.Parse(Get("symbols", "50")),
            Universe = int.Parse(Get("universe", "500")),
            StuckFraction = double.Parse(Get("stuck", "0"), System.Globalization.CultureInfo.InvariantCulture),
            Warmup = TimeSpan.FromSeconds(double.Parse(Get("warmup", "5"), System.Globalization.CultureInfo.InvariantCulture)),
            Duration = TimeSpan.FromSeconds(double.Parse(Get("duration", "30"), System.Globalization.CultureInfo.InvariantCulture)),
            Seed = int.Parse(Get("seed", "7")),
            Output = values.GetValueOrDefault("out"),
            CpuPids = SplitList(Get("cpu-pids", "")).Select(p => p == "self" ? Environment.ProcessId : int.Parse(p)).ToArray(),
            ClockTicksPerSecond = int.Parse(Get("clk-tck", "100")),
        };
    }

    private static IEnumerable<string> SplitList(string value) =>
        value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
