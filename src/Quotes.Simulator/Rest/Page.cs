using System.Text;

namespace Quotes.Simulator.Rest;

/// <summary>
/// Offset pagination behind an opaque <c>cursor</c>, as Polygon's <c>next_url</c> carries it: the offset and limit, and the
/// query the page was asked with (the request's own, or the one packed in its cursor).
/// </summary>
internal readonly record struct Page(int Offset, int Limit, IQueryCollection Query)
{
    public static Page From(HttpRequest request, int defaultLimit, int maxLimit)
    {
        var query = request.Query;
        var cursor = query["cursor"].ToString();
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                query = new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(
                    Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')))));
            }
            catch (FormatException) { }
        }
        var limit = int.TryParse(query["limit"], out var l) ? Math.Clamp(l, 1, maxLimit) : defaultLimit;
        var offset = int.TryParse(query["offset"], out var o) ? Math.Max(0, o) : 0;
        return new Page(offset, limit, query);
    }

    public string NextUrl(HttpRequest request, int offset, string carried)
    {
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset={offset}&limit={Limit}&{carried}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?cursor={cursor}";
    }
}
