using System.Text;

namespace Quotes.Simulator;

/// <summary>
/// A reference universe of real US tickers with their names, primary exchange (MIC) and type, for ticker search, and for the
/// well-known ones the level they trade at, so that a first screen looks like the market. The table is the embedded data file
/// <c>Data/reference-tickers.csv</c>, read once when the type is first used; its order is the order of search results' ties
/// and of the full-market snapshot.
/// </summary>
public static class ReferenceTickers
{
    public sealed record Ticker(string Symbol, string Name, string Exchange, string Type);

    /// <summary>Where a ticker trades: an approximate price, its typical daily move (0.02 is 2 %), and its average daily volume in shares.</summary>
    public sealed record Level(decimal Price, double DailyVolatility, long DailyVolume);

    /// <summary>One row of the data file: a ticker, and its level when the file gives one.</summary>
    internal sealed record Row(Ticker Ticker, Level? Level);

    /// <summary>The embedded file's name, given in the project file.</summary>
    internal const string ResourceName = "Quotes.Simulator.Data.reference-tickers.csv";

    private static readonly IReadOnlyList<Row> Rows = Load();

    public static readonly IReadOnlyList<Ticker> All = Rows.Select(r => r.Ticker).ToList();

    private static readonly Dictionary<string, Ticker> BySymbol = All.ToDictionary(t => t.Symbol, StringComparer.Ordinal);

    private static readonly Dictionary<string, Level> Levels = Rows
        .Where(r => r.Level is not null)
        .ToDictionary(r => r.Ticker.Symbol, r => r.Level!, StringComparer.Ordinal);

    public static bool TryGet(string symbol, out Ticker ticker) => BySymbol.TryGetValue(symbol, out ticker!);

    /// <summary>The level of a well-known ticker; false for the others.</summary>
    public static bool TryGetLevel(string symbol, out Level level) => Levels.TryGetValue(symbol, out level!);

    private static IReadOnlyList<Row> Load()
    {
        using var stream = typeof(ReferenceTickers).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The simulator's assembly lacks its embedded {ResourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }

    /// <summary>
    /// Reads the table: a header, then <c>symbol,name,exchange,type,price,daily_volatility,daily_volume_millions</c> per line,
    /// the last three all empty for a ticker without a level. Fields holding a comma are quoted. A malformed line or a symbol
    /// given twice throws, naming the line: the simulator must not start on half a table.
    /// </summary>
    internal static IReadOnlyList<Row> Parse(TextReader reader)
    {
        var rows = new List<Row>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var number = 1;
        if (reader.ReadLine() is null) throw new InvalidDataException("The reference ticker table is empty.");
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0) continue;
            var f = Fields(line, number);
            if (f.Count != 7 || f[0].Length == 0 || f[1].Length == 0)
                throw new InvalidDataException($"Line {number} of the reference ticker table is malformed: {line}");
            if (!seen.Add(f[0])) throw new InvalidDataException($"Line {number} of the reference ticker table repeats {f[0]}.");
            Level? level = null;
            if (f[4].Length > 0 || f[5].Length > 0 || f[6].Length > 0)
            {
                if (!decimal.TryParse(f[4], NumberStyles.Number, CultureInfo.InvariantCulture, out var price) || price <= 0
                    || !double.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out var volatility) || volatility <= 0
                    || !double.TryParse(f[6], NumberStyles.Float, CultureInfo.InvariantCulture, out var millions) || millions <= 0)
                    throw new InvalidDataException($"Line {number} of the reference ticker table has a malformed level: {line}");
                level = new Level(price, volatility, (long)(millions * 1_000_000));
            }
            rows.Add(new Row(new Ticker(f[0], f[1], f[2], f[3]), level));
        }
        return rows;
    }

    /// <summary>The fields of one CSV line: separated by commas, a quoted field may hold commas and doubled quotes.</summary>
    private static List<string> Fields(string line, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) throw new InvalidDataException($"Line {number} of the reference ticker table has an unclosed quote.");
        fields.Add(field.ToString());
        return fields;
    }
}
