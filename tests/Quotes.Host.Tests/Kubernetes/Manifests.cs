using YamlDotNet.RepresentationModel;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>Every manifest under <c>deploy/kubernetes</c>, parsed with YamlDotNet, and the lookups the specs make in them.</summary>
public sealed class Manifests
{
    /// <summary>Shown to operators as an example, never applied by the kustomization (it holds placeholders).</summary>
    public const string ExampleSecretFile = "secret.example.yaml";

    public const string KustomizationFile = "kustomization.yaml";

    private Manifests(IReadOnlyList<Manifest> all) => All = all;

    public static string Directory => Path.Combine(NodeTestRunner.RepositoryRoot(), "deploy", "kubernetes");

    public IReadOnlyList<Manifest> All { get; }

    public static Manifests Load()
    {
        var all = new List<Manifest>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(path)) stream.Load(reader);
            all.AddRange(stream.Documents.Select(d => new Manifest(Path.GetFileName(path), (YamlMappingNode)d.RootNode)));
        }
        return new Manifests(all);
    }

    public Manifest Single(string kind) => All.Single(m => m.Kind == kind);

    public IEnumerable<Manifest> OfKind(string kind) => All.Where(m => m.Kind == kind);

    public Manifest Named(string kind, string name) =>
        OfKind(kind).SingleOrDefault(m => m.Name == name) ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name} in {Directory}");

    public Manifest Deployment => Single("Deployment");

    /// <summary>The one container of the Deployment's pods.</summary>
    public YamlNode Container => Deployment.Root.At("spec", "template", "spec", "containers").Items().Single();

    public IReadOnlyDictionary<string, string> PodLabels => Deployment.Root.At("spec", "template", "metadata", "labels").Strings();

    /// <summary>The container's named ports: name → containerPort.</summary>
    public IReadOnlyDictionary<string, int> ContainerPorts =>
        Container.At("ports").Items().ToDictionary(p => p.Str("name"), p => int.Parse(p.Str("containerPort")));

    /// <summary>
    /// The container's environment as Kubernetes builds it: the ConfigMaps of <c>envFrom</c> first, then <c>env</c>,
    /// which wins on a clash.
    /// </summary>
    public IReadOnlyDictionary<string, Setting> Environment
    {
        get
        {
            var settings = new Dictionary<string, Setting>(StringComparer.Ordinal);
            foreach (var source in Container.At("envFrom").Items())
            {
                var configMap = Named("ConfigMap", source.Str("configMapRef", "name"));
                foreach (var (name, value) in configMap.Root.At("data").Strings())
                    settings[name] = new Setting(name, value, $"ConfigMap {configMap.Name}");
            }
            foreach (var variable in Container.At("env").Items())
            {
                var name = variable.Str("name");
                if (variable.TryAt("value") is YamlScalarNode literal) settings[name] = new Setting(name, literal.Value, "env");
                else if (variable.TryAt("valueFrom", "fieldRef", "fieldPath") is YamlScalarNode fieldPath)
                    settings[name] = new Setting(name, null, "fieldRef", FieldPath: fieldPath.Value);
                else if (variable.TryAt("valueFrom", "secretKeyRef") is { } secret)
                    settings[name] = new Setting(name, null, "secretKeyRef", SecretName: secret.Str("name"), SecretKey: secret.Str("key"));
                else if (variable.TryAt("valueFrom", "configMapKeyRef") is { } key)
                    settings[name] = new Setting(name, Named("ConfigMap", key.Str("name")).Root.At("data").Str(key.Str("key")), "configMapKeyRef");
                else throw new Xunit.Sdk.XunitException($"env {name}: a source the specs do not know");
            }
            return settings;
        }
    }
}

/// <summary>One document of a manifest file.</summary>
public sealed record Manifest(string File, YamlMappingNode Root)
{
    public string Kind => Root.Str("kind");
    public string Name => Root.TryAt("metadata", "name") is YamlScalarNode { Value: { } name } ? name : "";
    public override string ToString() => $"{Kind} {Name} ({File})";
}

/// <summary>One environment variable of the container and where its value comes from.</summary>
public sealed record Setting(string Name, string? Value, string Source, string? FieldPath = null, string? SecretName = null, string? SecretKey = null)
{
    /// <summary>Environment variables of the web host's own settings (<c>ASPNETCORE_URLS</c> is its <c>urls</c>).</summary>
    public const string WebHostPrefix = "ASPNETCORE_";

    /// <summary>The host's configuration key, as .NET's environment provider reads it: <c>__</c> separates levels.</summary>
    public string ConfigurationKey => (Name.StartsWith(WebHostPrefix, StringComparison.Ordinal) ? Name[WebHostPrefix.Length..] : Name)
        .Replace("__", ":", StringComparison.Ordinal);
}

/// <summary>Path lookups over YamlDotNet's representation model.</summary>
public static class Yaml
{
    public static YamlNode? TryAt(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            current = next;
        }
        return current;
    }

    public static YamlNode At(this YamlNode node, params string[] path) =>
        node.TryAt(path) ?? throw new Xunit.Sdk.XunitException($"{string.Join('.', path)} is missing at {node.Start}");

    public static string Str(this YamlNode node, params string[] path) =>
        node.At(path) is YamlScalarNode { Value: { } value } ? value : throw new Xunit.Sdk.XunitException($"{string.Join('.', path)} is not a scalar at {node.Start}");

    public static int Int(this YamlNode node, params string[] path) => int.Parse(node.Str(path), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The items of a sequence; none when the node is absent.</summary>
    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) => node.TryAt(path).Items();

    /// <summary>A mapping of scalars (labels, selectors, ConfigMap data).</summary>
    public static IReadOnlyDictionary<string, string> Strings(this YamlNode node) =>
        ((YamlMappingNode)node).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "");
}
