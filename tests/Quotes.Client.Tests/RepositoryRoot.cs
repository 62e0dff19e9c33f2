namespace Quotes.Client.Tests;

/// <summary>The checkout the specs run in, found by its solution file.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AkkaQuotes.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AkkaQuotes.sln not found above " + AppContext.BaseDirectory);
    }
}
