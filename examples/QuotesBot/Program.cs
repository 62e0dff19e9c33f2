using System.Runtime.InteropServices;
using Quotes.Client;
using Quotes.Contracts;
using QuotesBot;

// Subscribes to the symbols on the command line and prints moves above a threshold (README, "The .NET client").
// Quote lines go to standard output, connection news to standard error; the key is never printed.
var arguments = BotArguments.Parse(args, Environment.GetEnvironmentVariable("QUOTES_API_KEY"), out var problem);
if (arguments is null)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(BotArguments.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var client = new QuotesClient(new QuotesClientOptions { Url = arguments.Url, ApiKey = arguments.Key });
client.StateChanged += (_, e) => Console.Error.WriteLine(e.State == ConnectionState.Reconnecting
    ? $"connection: reconnecting in {e.Delay?.TotalSeconds:0.0} s ({(e.CloseStatus is { } code ? "close " + (int)code : e.Error?.Message ?? "dropped")})"
    : $"connection: {e.State.ToString().ToLowerInvariant()}");
client.StatusChanged += (_, s) => Console.Error.WriteLine(
    $"feed {s.Feed}, upstream {s.Upstream}, market {s.Market}{(s.Feed == "simulator" ? " (prices are SIMULATED)" : "")}");
client.Error += (_, e) => Console.Error.WriteLine($"server error {e.Code}: {e.Message}");

try
{
    await client.ConnectAsync(stop.Token);
    var printing = PrintMovesAsync(client, new MoveDetector(arguments.Threshold), stop.Token); // reading before subscribing: the snapshots count
    var subscribed = await client.SubscribeAsync(arguments.Symbols, stop.Token);
    Console.Error.WriteLine($"watching {string.Join(' ', subscribed.Symbols)}; printing moves of {arguments.Threshold}% or more");
    await printing;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}
catch (QuotesClientException e)
{
    Console.Error.WriteLine($"{e.Code}: {e.Message}");
    return 1;
}
return 0;

static async Task PrintMovesAsync(QuotesClient client, MoveDetector moves, CancellationToken ct)
{
    await foreach (var quote in client.ReadQuotesAsync(ct))
        if (moves.Observe(quote) is { } move) Console.WriteLine(move);
}
