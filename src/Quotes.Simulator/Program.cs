using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Quotes.Simulator;

/// <summary>Standalone simulator: <c>dotnet run --project src/Quotes.Simulator -- --urls http://127.0.0.1:5090</c>.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = configuration.GetSection("Simulator").Get<SimulatorOptions>() ?? new SimulatorOptions();
        Quotes.Contracts.MarketCalendar.Forced = options.MarketState; // its /v1/marketstatus/now follows the forced state
        var app = SimulatorServer.Build(args, options);
        await app.RunAsync();
    }
}
