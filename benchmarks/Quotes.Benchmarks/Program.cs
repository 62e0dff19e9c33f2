using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Quotes.Benchmarks -- --filter '*'   (see docs/PERFORMANCE.md)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
