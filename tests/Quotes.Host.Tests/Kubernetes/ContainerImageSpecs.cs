using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>
/// The host's container image comes from the .NET SDK's own container support (<c>dotnet publish -t:PublishContainer</c>).
/// Its base image cannot be pulled here, so instead of building it the specs ask MSBuild for the image configuration the
/// SDK would build (<c>-t:ComputeContainerConfig</c> with <c>-getProperty</c>/<c>-getItem</c>), and hold the manifests to it.
/// </summary>
public sealed class ContainerImageSpecs
{
    private static readonly Lazy<Task<ImageConfig>> Image = new(ImageConfig.EvaluateAsync);
    private readonly Manifests _manifests = Manifests.Load();

    [Fact]
    public async Task The_host_project_builds_a_non_root_aspnet_image_with_its_ports_labels_and_tags()
    {
        var image = await Image.Value;
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", image.Property("ContainerBaseImage"));
        Assert.Equal("akkaquotes", image.Property("ContainerRepository"));
        Assert.Equal([image.Property("Version"), "latest"], image.Items("ContainerImageTags").Select(i => i.Identity));
        Assert.True(int.TryParse(image.Property("ContainerUser"), out var user) && user > 0, "a numeric non-root user: " + image.Property("ContainerUser"));

        Assert.Equal([4053, 8080, 8558, 9464], image.Items("ContainerPort").Select(p => int.Parse(p.Identity)).Order());
        Assert.All(image.Items("ContainerPort"), p => Assert.Equal("tcp", p.Metadata("Type")));
        var env = image.Items("ContainerEnvironmentVariables").ToDictionary(e => e.Identity, e => e.Metadata("Value"));
        Assert.Equal("http://+:8080", env["ASPNETCORE_URLS"]);
        Assert.Equal("", env["ASPNETCORE_HTTP_PORTS"]); // clears the base image's, which beside URLS logs a warning at every start

        var labels = image.Items("ContainerLabel").ToDictionary(l => l.Identity, l => l.Metadata("Value"));
        Assert.Equal("AkkaQuotes", labels["org.opencontainers.image.title"]);
        Assert.Equal(image.Property("Version"), labels["org.opencontainers.image.version"]);
        Assert.False(string.IsNullOrWhiteSpace(labels["org.opencontainers.image.description"]));
        Assert.Equal(["dotnet", "/app/Quotes.Host.dll"], image.Items("ContainerAppCommand").Select(c => c.Identity));
    }

    [Fact]
    public async Task The_manifests_run_the_image_the_project_builds_as_its_user_with_its_ports()
    {
        var image = await Image.Value;
        var container = _manifests.Container;
        var name = container.Str("image").Split(':')[0];
        Assert.Equal(image.Property("ContainerRepository"), name);
        var pinned = _manifests.Single("Kustomization").Root.Items("images").Single(i => i.Str("name") == name);
        Assert.Equal(image.Property("Version"), pinned.Str("newTag"));

        Assert.Equal(image.Items("ContainerPort").Select(p => int.Parse(p.Identity)).Order(), _manifests.ContainerPorts.Values.Order());
        var env = _manifests.Environment;
        var imageEnv = image.Items("ContainerEnvironmentVariables").ToDictionary(e => e.Identity, e => e.Metadata("Value"));
        Assert.All(imageEnv, kv => Assert.Equal(kv.Value, env[kv.Key].Value));

        var security = _manifests.Deployment.Root.At("spec", "template", "spec", "securityContext");
        Assert.Equal("true", security.Str("runAsNonRoot"));
        Assert.Equal(image.Property("ContainerUser"), security.Str("runAsUser"));
    }

    /// <summary>What <c>dotnet msbuild -getProperty/-getItem</c> printed (JSON) for the host project.</summary>
    private sealed class ImageConfig(JsonElement root)
    {
        private static readonly string[] PropertyNames = ["ContainerBaseImage", "ContainerRepository", "ContainerUser", "Version"];
        private static readonly string[] ItemNames = ["ContainerImageTags", "ContainerPort", "ContainerEnvironmentVariables", "ContainerLabel", "ContainerAppCommand"];

        public string Property(string name) => root.GetProperty("Properties").GetProperty(name).GetString()!;

        public IEnumerable<Item> Items(string name) => root.GetProperty("Items").GetProperty(name).EnumerateArray().Select(i => new Item(i));

        public static async Task<ImageConfig> EvaluateAsync()
        {
            var project = Path.Combine(NodeTestRunner.RepositoryRoot(), "src", "Quotes.Host", "Quotes.Host.csproj");
            // ComputeContainerConfig is the SDK's own step that turns the properties into the image's tags, labels,
            // ports, environment and entry point; it reads no base image.
            var start = new ProcessStartInfo("dotnet",
                ["msbuild", project, "-nologo", "-nodeReuse:false", "-p:Configuration=Release", "-t:ComputeContainerConfig",
                    .. PropertyNames.Select(p => "-getProperty:" + p), .. ItemNames.Select(i => "-getItem:" + i)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(budget.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            Assert.True(process.ExitCode == 0, $"dotnet msbuild exited with {process.ExitCode}: {await output}{await errors}");
            using var json = JsonDocument.Parse(await output);
            return new ImageConfig(json.RootElement.Clone());
        }
    }

    private sealed record Item(JsonElement Json)
    {
        public string Identity => Metadata("Identity");
        public string Metadata(string name) => Json.GetProperty(name).GetString()!;
    }
}
