using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Host.Tests;

/// <summary>Runs test files of tests/node with Node's test runner (npm packages installed by ./test.sh) and checks the tally.</summary>
public static class NodeTestRunner
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AkkaQuotes.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AkkaQuotes.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Directory => Path.Combine(RepositoryRoot(), "tests", "node");

    /// <summary>The JS client's package, with its own tests and npm packages.</summary>
    public static string ClientDirectory => Path.Combine(RepositoryRoot(), "clients", "js");

    /// <summary>
    /// Runs <paramref name="files"/> (in tests/node, or in <paramref name="directory"/>) with <paramref name="environment"/>;
    /// every test must pass and there must be <paramref name="expectedPasses"/>.
    /// </summary>
    public static async Task RunAsync(ITestOutputHelper output, IReadOnlyList<string> files, IDictionary<string, string> environment,
        int expectedPasses, string? requiredPackage = null, string? directory = null)
    {
        directory ??= Directory;
        if (requiredPackage is not null)
            Assert.True(System.IO.Directory.Exists(Path.Combine(directory, "node_modules", requiredPackage)),
                $"the npm packages are missing: run ./test.sh (it runs npm ci in {Path.GetRelativePath(RepositoryRoot(), directory)})");
        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=tap", .. files])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            output.WriteLine(await stdout);
            output.WriteLine(await stderr);
        }

        Assert.Equal(0, node.ExitCode);
        Assert.Contains("# fail 0", await stdout);
        Assert.Contains($"# pass {expectedPasses}", await stdout);
    }
}
