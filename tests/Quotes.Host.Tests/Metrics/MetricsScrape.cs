using System.Globalization;
using System.Net.Http.Headers;
using Xunit;

namespace Quotes.Host.Tests.Metrics;

/// <summary>One scrape of <c>/metrics</c> in Prometheus text: every sample with its labels.</summary>
public sealed class MetricsScrape
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private MetricsScrape(IReadOnlyList<Sample> samples) => Samples = samples;

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Every metric name that has at least one sample.</summary>
    public IReadOnlySet<string> Names => Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/> (e.g. <c>code=BAD_JSON</c>).</summary>
    public double Value(string name, params string[] labels)
    {
        var matching = Samples.Where(s => s.Name == name && labels.All(l => l.Split('=', 2) is [var k, var v] && s.Labels.TryGetValue(k, out var actual) && actual == v)).ToList();
        Assert.True(matching.Count > 0, $"no series {name}{{{string.Join(",", labels)}}} in the scrape");
        return matching.Sum(s => s.Value);
    }

    public static async Task<MetricsScrape> GetAsync(Uri baseUrl, string? adminKey)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(15) };
        if (adminKey is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {text}");
        return Parse(text);
    }

    /// <summary>Reads <c>name{label="value",…} number</c> lines; comments and blank lines are skipped.</summary>
    public static MetricsScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#')) continue;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{');
            var nameEnd = brace >= 0 ? brace : line.IndexOf(' ');
            var name = line[..nameEnd];
            var rest = line[nameEnd..];
            if (brace >= 0)
            {
                var close = line.LastIndexOf('}');
                foreach (var pair in SplitLabels(line[(brace + 1)..close])) labels[pair.Key] = pair.Value;
                rest = line[(close + 1)..];
            }
            // The value, then perhaps a timestamp.
            var value = rest.Trim().Split(' ')[0];
            samples.Add(new Sample(name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }
        return new MetricsScrape(samples);
    }

    private static IEnumerable<KeyValuePair<string, string>> SplitLabels(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            var key = text[i..equals].Trim(' ', ',');
            var start = text.IndexOf('"', equals) + 1;
            var end = start;
            while (text[end] != '"' || text[end - 1] == '\\') end++;
            yield return new(key, text[start..end].Replace("\\\"", "\"").Replace("\\\\", "\\"));
            i = end + 1;
        }
    }
}
