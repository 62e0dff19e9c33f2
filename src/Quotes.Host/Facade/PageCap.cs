using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Quotes.Host.Facade;

/// <summary>
/// The façade's bound on one relayed page: a <c>limit</c> above the maximum is lowered to it, however it is written, in the
/// query or inside a <c>cursor</c>. Providers (Polygon, the simulator) read any number (<c>+50000</c>, <c>5e4</c>, twenty
/// digits) and serve their own maximum above it, and their cursors are the base64 of the query of the next page, limit
/// included, so a client could write either to get what the cap refuses. Anything that is not a number, and a cursor that
/// does not decode, is relayed as given: the provider's to refuse.
/// </summary>
public static class PageCap
{
    public static string Apply(string parameter, string value, int max) => parameter switch
    {
        "limit" => Limit(value, max),
        "cursor" => Cursor(value, max),
        _ => value,
    };

    private static string Limit(string value, int max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit) && limit > max ? max.ToString(CultureInfo.InvariantCulture) : value;

    private static string Cursor(string cursor, int max)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor)); // either alphabet, padded or not
        }
        catch (FormatException)
        {
            return cursor;
        }
        var query = QueryHelpers.ParseQuery(decoded);
        if (!query.TryGetValue("limit", out var limits) || limits.All(l => Limit(l ?? "", max) == l)) return cursor;
        var rewritten = string.Join("&", query.SelectMany(p => p.Value.Select(v =>
            $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Key == "limit" ? Limit(v ?? "", max) : v ?? "")}")));
        var bytes = Encoding.UTF8.GetBytes(rewritten);
        // In the form the provider wrote it: standard base64, or (the simulator's) base64url without padding.
        var standard = cursor.Contains('+') || cursor.Contains('/') || cursor.EndsWith('=');
        return standard ? Convert.ToBase64String(bytes) : WebEncoders.Base64UrlEncode(bytes);
    }
}
