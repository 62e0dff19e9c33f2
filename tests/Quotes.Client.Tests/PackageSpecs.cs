using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace Quotes.Client.Tests;

/// <summary><c>dotnet pack src/Quotes.Client</c> makes a package that stands alone: both assemblies, the readme, the metadata.</summary>
public sealed class PackageSpecs
{
    [Fact]
    public async Task Should_pack_the_client_with_the_contracts_inside_and_its_metadata()
    {
        var output = Directory.CreateTempSubdirectory("quotes-client-pack-");
        try
        {
            var pack = new ProcessStartInfo("dotnet",
                ["pack", Path.Combine(RepositoryRoot.Path, "src", "Quotes.Client", "Quotes.Client.csproj"), "-c", "Release", "-o", output.FullName, "-v", "quiet"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(pack)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(process.ExitCode == 0, $"dotnet pack failed:\n{await stdout}\n{await stderr}");

            var package = Assert.Single(output.GetFiles("AkkaQuotes.Client.*.nupkg"));
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/Quotes.Client.dll", entries);
            Assert.Contains("lib/net10.0/Quotes.Contracts.dll", entries);
            Assert.Contains("README.md", entries);

            await using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var nuspec = XDocument.Load(nuspecStream);
            string? Field(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal("AkkaQuotes.Client", Field("id"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.False(string.IsNullOrWhiteSpace(Field("description")));
            var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
            Assert.DoesNotContain("Quotes.Contracts", dependencies); // carried inside, not a package nobody publishes
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
