using System.Text.RegularExpressions;

namespace Quotes.Host.Tests.Metrics;

/// <summary>The metric names a PromQL expression reads (what a dashboard panel needs the nodes to export).</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "inf", "nan",
    };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")] private static partial Regex Strings();
    [GeneratedRegex(@"\{[^}]*\}")] private static partial Regex Matchers();
    [GeneratedRegex(@"\[[^\]]*\]")] private static partial Regex Ranges();
    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")] private static partial Regex Groupings();
    [GeneratedRegex(@"[A-Za-z_:][A-Za-z0-9_:]*(?=\s*(\()?)")] private static partial Regex Identifiers();

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Groupings().Replace(Ranges().Replace(Matchers().Replace(Strings().Replace(expression, " "), " "), " "), " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifiers().Matches(text))
        {
            var isFunction = m.Groups[1].Success;
            var precededByDigit = m.Index > 0 && (char.IsDigit(text[m.Index - 1]) || text[m.Index - 1] == '.');
            if (!isFunction && !precededByDigit && !Keywords.Contains(m.Value)) names.Add(m.Value);
        }
        return names;
    }
}
