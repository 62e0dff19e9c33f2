using System.Runtime.CompilerServices;
using Quotes.Actors.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests.Wire;

/// <summary>
/// Bytes written by the build that introduced each sample (<c>Wire/golden/NAME.bin</c>, committed) must still read as that
/// sample: a later build whose encoding can no longer read them would break a rolling upgrade, and fails here.
/// <para>
/// The files are never written in a normal run. <c>REGENERATE_GOLDEN=1 dotnet test --filter WireGoldenSpecs</c> writes the
/// missing ones (a new sample or message) into the source tree and leaves existing ones alone;
/// <c>REGENERATE_GOLDEN=all</c> rewrites every one, which is only right for a deliberately incompatible format, and that
/// also needs a new serializer identifier.
/// </para>
/// </summary>
public sealed class WireGoldenSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SerializationTestSystem.Setup(), output: output)
{
    private const string RegenerateVariable = "REGENERATE_GOLDEN";

    [Fact]
    public void Every_sample_reads_from_its_golden_bytes()
    {
        var regenerate = Environment.GetEnvironmentVariable(RegenerateVariable);
        foreach (var (name, message) in WireSamples.All(SerializationTestSystem.RemoteHub(Sys)))
        {
            if (regenerate is not null) Regenerate(name, message, overwrite: regenerate == "all");
            // Normally the copies in the build output; right after writing them, the files themselves.
            var file = GoldenFile(regenerate is null ? AppContext.BaseDirectory : SourceDirectory(), name);
            Assert.True(File.Exists(file), $"no golden bytes for sample {name}: run these specs once with {RegenerateVariable}=1 and commit Wire/golden/{name}.bin");

            var read = Sys.Serialization.Deserialize(File.ReadAllBytes(file), QuotesSerializer.SerializerId, WireSamples.ManifestOf(name));

            WireAssert.SameContent(message, read);
        }
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_sample()
    {
        var names = WireSamples.All(SerializationTestSystem.RemoteHub(Sys)).Select(s => s.Name).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Wire", "golden"), "*.bin");

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains(Path.GetFileNameWithoutExtension(f), names));
    }

    private void Regenerate(string name, IQuotesMessage message, bool overwrite)
    {
        var file = GoldenFile(SourceDirectory(), name);
        if (File.Exists(file) && !overwrite) return;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, Sys.Serialization.FindSerializerFor(message).ToBinary(message));
        Output?.WriteLine($"wrote {file}");
    }

    private static string GoldenFile(string root, string name) => Path.Combine(root, "Wire", "golden", name + ".bin");

    /// <summary>The test project's source directory, where the golden files are committed (this file is in its Wire folder).</summary>
    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(Path.GetDirectoryName(thisFile))!;
}
