using System.Text.Json;
using Quotes.LoadTest;

// dotnet run -c Release --project tools/Quotes.LoadTest -- --url ws://localhost:5000/ws[,ws://localhost:5001/ws …] --key KEY --clients 1000 --symbols 50 --universe 500 --duration 30 [--stuck 0.1] [--out report.json] [--cpu-pids PID,PID --clk-tck 100]
// Prints "connected", "window start" and "window end" as they happen (benchmarks/cluster.sh samples on them).
var options = LoadOptions.Parse(args) with { Progress = Console.WriteLine };
Console.WriteLine($"{options.Clients} clients over {options.Urls.Count} URL(s) × {options.SymbolsPerClient} symbols of {options.Universe}, {options.StuckFraction:P0} stuck, warm-up {options.Warmup.TotalSeconds} s, measuring {options.Duration.TotalSeconds} s");
var report = await LoadRunner.RunAsync(options);
var json = JsonSerializer.Serialize(report, LoadJsonContext.Default.LoadReport);
Console.WriteLine(json);
if (options.Output is { } path) await File.WriteAllTextAsync(path, json);
