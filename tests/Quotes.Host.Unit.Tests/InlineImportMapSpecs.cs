using System.Security.Cryptography;
using System.Text;
using Quotes.Host.Dashboard;
using Xunit;

namespace Quotes.Host.Unit.Tests;

public sealed class InlineImportMapSpecs
{
    [Fact]
    public void Each_inline_import_map_is_allowed_by_the_SHA256_of_its_exact_text_and_other_scripts_are_not()
    {
        const string map = "\n  {\"imports\":{\"react\":\"/vendor/react.mjs\"}}\n";
        var html = $"<script type=\"importmap\">{map}</script><script>alert(1)</script><script type=\"module\" src=\"/a.js\"></script>";
        var expected = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(map)))}'";
        Assert.Equal([expected], InlineImportMaps.HashSources(html));
        Assert.Empty(InlineImportMaps.HashSources("<script>alert(1)</script>"));
    }
}
