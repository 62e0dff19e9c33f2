using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Quotes.Simulator.Rest;

/// <summary>
/// Offset pagination behind an opaque <c>cursor</c>, as Polygon's <c>next_url</c> carries it: the offset and limit, and the
/// query the page was asked with (the request's own, or the one packed in its cursor).
/// </summary>
internal readonly record struct Page(int Offset, int Limit, IQueryCollection Query)
{
    /// <summary>
    /// The page a request asks for, or the 400 Polygon answers for a <c>limit</c> that is not a whole number from 1 up, or a
    /// <c>cursor</c> that cannot be decoded. A limit above <paramref name="maxLimit"/>, however large, is served as the maximum.
    /// </summary>
    public static bool TryFrom(HttpRequest request, int defaultLimit, int maxLimit, out Page page, [NotNullWhen(false)] out IResult? error)
    {
        page = default;
        var query = request.Query;
        var cursor = query["cursor"].ToString();
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                query = new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(
                    Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')))));
            }
            catch (FormatException)
            {
                query = EmptyQuery;
            }
            // Every cursor written here carries its offset: one without (base64 of anything else) was not written here.
            if (!decimal.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                error = PolygonRest.Error(400, "ERROR", "Could not parse the cursor.");
                return false;
            }
        }
        var limit = (decimal)defaultLimit;
        var text = query["limit"].ToString();
        if (text.Length > 0 && !(decimal.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1))
        {
            error = PolygonRest.Error(400, "ERROR", "Could not parse the limit; it must be a whole number from 1.");
            return false;
        }
        // A cursor's offset is this server's own; one made up past any list is an empty page (and no sum overflows).
        var offset = decimal.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? (int)Math.Min(o, MaxOffset) : 0;
        page = new Page(offset, (int)Math.Min(limit, maxLimit), query);
        error = null;
        return true;
    }

    private const int MaxOffset = 100_000_000;

    private static readonly IQueryCollection EmptyQuery = new Microsoft.AspNetCore.Http.QueryCollection();

    public string NextUrl(HttpRequest request, int offset, string carried)
    {
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset={offset}&limit={Limit}&{carried}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?cursor={cursor}";
    }
}
