using System.Globalization;

namespace QuotesBot;

/// <summary>The bot's command line: <c>[--url ws://…] [--key KEY] [--threshold PERCENT] SYMBOL…</c>.</summary>
internal sealed record BotArguments(Uri Url, string Key, IReadOnlyList<string> Symbols, decimal Threshold)
{
    public const string Usage = """
        usage: QuotesBot [--url ws://localhost:5000/ws] [--key KEY] [--threshold 0.5] SYMBOL...
          --url        the AkkaQuotes socket (default ws://localhost:5000/ws)
          --key        the client key (default: the QUOTES_API_KEY environment variable)
          --threshold  print a quote when its price moved at least this many percent since the last one printed (default 0.5)
        """;

    /// <summary>The arguments, or null and what is wrong with them. <paramref name="keyFromEnvironment"/> is the key when <c>--key</c> is absent.</summary>
    public static BotArguments? Parse(string[] args, string? keyFromEnvironment, out string? problem)
    {
        var url = new Uri("ws://localhost:5000/ws");
        var key = keyFromEnvironment;
        var threshold = 0.5m;
        var symbols = new List<string>();
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                symbols.Add(arg);
                continue;
            }
            if (i + 1 >= args.Length)
            {
                problem = $"{arg} needs a value";
                return null;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--url" when Uri.TryCreate(value, UriKind.Absolute, out var parsed) && parsed.Scheme is "ws" or "wss":
                    url = parsed;
                    break;
                case "--url":
                    problem = "--url must be a ws:// or wss:// address";
                    return null;
                case "--key":
                    key = value;
                    break;
                case "--threshold" when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) && percent >= 0:
                    threshold = percent;
                    break;
                case "--threshold":
                    problem = "--threshold must be a number of percent, 0 or more";
                    return null;
                default:
                    problem = $"unknown option {arg}";
                    return null;
            }
        }
        if (string.IsNullOrWhiteSpace(key)) problem = "no key: pass --key or set QUOTES_API_KEY";
        else if (symbols.Count == 0) problem = "name at least one symbol";
        return problem is null ? new BotArguments(url, key!, symbols, threshold) : null;
    }
}
