using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Quotes.Host.Dashboard;

/// <summary>
/// The Content-Security-Policy hash sources of a page's inline import maps. Browsers hold an import map to
/// <c>script-src</c>, and the pages allow no inline script; an import map cannot be an external file, so each page's own
/// maps are allowed by their SHA-256 (examples/ReactWatchlist maps <c>react</c> to /vendor).
/// </summary>
public static partial class InlineImportMaps
{
    [GeneratedRegex("""<script type="importmap">(.*?)</script>""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static IEnumerable<string> HashSources(string html) =>
        Pattern().Matches(html).Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
}
