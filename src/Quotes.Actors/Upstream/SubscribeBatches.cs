using System.Text;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Upstream;

/// <summary>Builds Polygon <c>subscribe</c>/<c>unsubscribe</c> actions with batched params, each well under 1 MB.</summary>
public static class SubscribeBatches
{
    /// <summary>Largest params string per action; Polygon's clients cap frames at 1 MB, stay far below.</summary>
    public const int MaxParamsLength = 64 * 1024;

    public static IEnumerable<string> Build(string action, IEnumerable<string> symbols, string prefix = "A")
    {
        var batch = new StringBuilder();
        foreach (var symbol in symbols)
        {
            var channel = prefix + "." + symbol;
            if (batch.Length > 0 && batch.Length + channel.Length + 1 > MaxParamsLength)
            {
                yield return Action(action, batch.ToString());
                batch.Clear();
            }
            if (batch.Length > 0) batch.Append(',');
            batch.Append(channel);
        }
        if (batch.Length > 0) yield return Action(action, batch.ToString());
    }

    public static string Auth(string key) => Action("auth", key);

    private static string Action(string action, string parameters) => new PolygonAction(action, parameters).Encode();
}
