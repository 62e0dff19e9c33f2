using System.Diagnostics;
using System.Text.RegularExpressions;
using Quotes.Contracts;
using QuotesBot;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary>examples/QuotesBot as a real process against a real host, and the rules it prints by.</summary>
[Collection(SharedHostCollection.Name)]
public sealed partial class QuotesBotSpecs(SharedHost shared)
{
    [GeneratedRegex(@"^\d\d:\d\d:\d\d (AAPL|MSFT) \d+(\.\d+)? [+-]\d+\.\d\d% since \d+(\.\d+)?$")]
    private static partial Regex MoveLine();

    [Fact]
    public async Task Should_print_moves_of_the_symbols_on_its_command_line_until_terminated()
    {
        var host = shared.Host;
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "QuotesBot.dll"), "--url", host.SocketUrl.ToString(), "--key", TestHost.ClientKey, "AAPL", "MSFT", "--threshold", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var moved = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bot = Process.Start(start)!;
        try
        {
            bot.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line) return;
                output.Enqueue(line);
                if (MoveLine().IsMatch(line)) moved.TrySetResult(line);
            };
            bot.ErrorDataReceived += (_, e) => { if (e.Data is { } line) output.Enqueue(line); };
            bot.BeginOutputReadLine();
            bot.BeginErrorReadLine();

            try
            {
                await moved.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                Assert.Fail("no move line; the bot printed:\n" + string.Join("\n", output));
            }

            Process.Start("kill", ["-TERM", bot.Id.ToString()])!.WaitForExit();
            await bot.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, bot.ExitCode);
            Assert.Contains(output, line => line.Contains("prices are SIMULATED", StringComparison.Ordinal));
            Assert.DoesNotContain(output, line => line.Contains(TestHost.ClientKey, StringComparison.Ordinal));
        }
        finally
        {
            if (!bot.HasExited) bot.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Should_print_the_first_quote_then_only_moves_past_the_threshold_from_the_last_printed_price()
    {
        var moves = new MoveDetector(thresholdPercent: 0.5m);
        Assert.Null(moves.Observe(Quote("AAPL", 100m)).GetValueOrDefault().From);
        Assert.Null(moves.Observe(Quote("AAPL", 100.3m)));
        Assert.Null(moves.Observe(Quote("AAPL", 99.7m)));
        var drop = moves.Observe(Quote("AAPL", 99.5m));
        Assert.Equal((100m, -0.5m), (drop!.Value.From, drop.Value.Percent));
        Assert.Null(moves.Observe(Quote("AAPL", 99.9m))); // measured from 99.5 now
        Assert.NotNull(moves.Observe(Quote("MSFT", 400m))); // each symbol on its own
        Assert.Equal("00:00:01 AAPL 100.1 +0.60% since 99.5", moves.Observe(Quote("AAPL", 100.1m))!.Value.ToString());
    }

    [Theory]
    [InlineData("AAPL", "no key: pass --key or set QUOTES_API_KEY")]
    [InlineData("--key k --threshold -1 AAPL", "--threshold must be a number of percent, 0 or more")]
    [InlineData("--key k --url http://x AAPL", "--url must be a ws:// or wss:// address")]
    [InlineData("--key k", "name at least one symbol")]
    public void Should_explain_a_command_line_it_cannot_use(string args, string problem)
    {
        Assert.Null(BotArguments.Parse(args.Split(' '), keyFromEnvironment: null, out var found));
        Assert.Equal(problem, found);
    }

    [Fact]
    public void Should_take_the_key_from_the_environment_when_not_on_the_command_line()
    {
        var parsed = BotArguments.Parse(["--url", "ws://h:1/ws", "AAPL", "MSFT", "--threshold", "1.5"], "env-client-key-0001", out _);
        Assert.Equal(new Uri("ws://h:1/ws"), parsed!.Url);
        Assert.Equal(("env-client-key-0001", 1.5m), (parsed.Key, parsed.Threshold));
        Assert.Equal(["AAPL", "MSFT"], parsed.Symbols);
    }

    private static Quote Quote(string symbol, decimal price) => new() { Symbol = symbol, Price = price, Timestamp = 1000 };
}
