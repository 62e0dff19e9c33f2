using Quotes.Actors.Cluster.Bootstrap;

namespace Quotes.Actors.Cluster;

/// <summary>
/// How this node joins the cluster; bound from the <c>Akka</c> section (<c>Akka:Port</c>, <c>Akka:PublicHost</c>,
/// <c>Akka:Seeds</c>, or <c>Akka:Bootstrap</c> instead of seeds).
/// </summary>
public sealed class AkkaNodeOptions
{
    /// <summary>The actor system name every node must share.</summary>
    public const string SystemName = "quotes";

    /// <summary>The role every AkkaQuotes node runs with.</summary>
    public const string Role = "quotes";

    /// <summary>Remoting port. Default: 4053 when seeds are given, otherwise any free port (a one-node cluster).</summary>
    public int? Port { get; set; }

    /// <summary>The host name other nodes reach this one by. Default: <c>localhost</c>.</summary>
    public string? PublicHost { get; set; }

    /// <summary>
    /// Interface the remoting port binds. Default: the <see cref="PublicHost"/>'s interface (loopback alone), never all
    /// interfaces unless set to <c>0.0.0.0</c> explicitly: remoting has no authentication of its own (see <see cref="Tls"/>).
    /// </summary>
    public string? Hostname { get; set; }

    /// <summary>
    /// Full seed addresses, e.g. <c>akka.tcp://quotes@node1:4053</c>. None (and no bootstrap): this node forms its own cluster.
    /// With <see cref="Tls"/> the nodes speak <c>akka.ssl.tcp</c>; either scheme may be written (<see cref="EffectiveSeeds"/>).
    /// </summary>
    public string[] Seeds { get; set; } = [];

    /// <summary>
    /// <see cref="Seeds"/> in the scheme this node's transport speaks: <c>akka.ssl.tcp</c> with <see cref="Tls"/>, <c>akka.tcp</c>
    /// without. A seed written with the other scheme names the same node; taken as written, it could never be reached (Akka
    /// logs "No transport is loaded for protocol" and the node never joins).
    /// </summary>
    public string[] EffectiveSeeds => Seeds.Select(seed => InScheme(seed, Tls.Enabled ? SslScheme : TcpScheme)).ToArray();

    private const string TcpScheme = "akka.tcp://";
    private const string SslScheme = "akka.ssl.tcp://";

    private static string InScheme(string seed, string scheme)
    {
        var trimmed = seed.Trim();
        foreach (var other in new[] { TcpScheme, SslScheme })
            if (trimmed.StartsWith(other, StringComparison.OrdinalIgnoreCase)) return scheme + trimmed[other.Length..];
        return trimmed;
    }

    /// <summary>Forming the cluster through discovery instead of <see cref="Seeds"/>.</summary>
    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>
    /// Shards of the symbol region. Rule: about ten times the most nodes the cluster will run (50 suits up to five nodes,
    /// 100 up to ten), so each node holds enough shards to balance. The same on every node; change it only by restarting
    /// the whole cluster.
    /// </summary>
    public int Shards { get; set; } = DefaultShards;

    public const int DefaultShards = 50;

    /// <summary>The most shards a node accepts: far beyond ten times any sensible node count.</summary>
    public const int MaxShards = 10_000;

    /// <summary>
    /// The lowest level of the actors' own log lines (Akka's and AkkaQuotes' actors): <c>Debug</c>, <c>Info</c> (the
    /// default), <c>Warning</c> or <c>Error</c>. Debug lines still pass Serilog's level too: turn them on for one class with
    /// <c>Serilog:MinimumLevel:Override:&lt;class&gt;=Debug</c> (an actor's lines carry its class as their source).
    /// </summary>
    public string LogLevel { get; set; } = "Info";

    /// <summary><see cref="LogLevel"/> as Akka's level; Info when it names none (<see cref="Problems"/> says so).</summary>
    public Akka.Event.LogLevel AkkaLogLevel => ParseLogLevel(LogLevel) ?? Akka.Event.LogLevel.InfoLevel;

    private static Akka.Event.LogLevel? ParseLogLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "debug" => Akka.Event.LogLevel.DebugLevel,
        "info" => Akka.Event.LogLevel.InfoLevel,
        "warning" => Akka.Event.LogLevel.WarningLevel,
        "error" => Akka.Event.LogLevel.ErrorLevel,
        _ => null,
    };

    /// <summary>What is wrong with these settings (each problem names its setting); empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (Shards is < 1 or > MaxShards)
            yield return $"Akka:Shards must be between 1 and {MaxShards} (about ten times the most nodes the cluster will run); it is {Shards}";
        if (ParseLogLevel(LogLevel) is null)
            yield return $"Akka:LogLevel must be Debug, Info, Warning or Error; it is '{LogLevel}'";
        foreach (var problem in Bootstrap.Problems(Seeds, EffectivePort, PublicHost)) yield return problem;
    }

    /// <summary>Mutual TLS between nodes (<c>Akka:Tls</c>); off unless a certificate is configured.</summary>
    public RemotingTlsOptions Tls { get; set; } = new();

    /// <summary>Neither seeds nor bootstrap: a one-member cluster of its own.</summary>
    public bool Standalone => Seeds.Length == 0 && !Bootstrap.Enabled;
    public int EffectivePort => Port ?? (Standalone ? 0 : 4053);
    public string EffectiveHostname => Hostname ?? EffectivePublicHost;
    public string EffectivePublicHost => PublicHost ?? (Standalone ? "127.0.0.1" : "localhost");
}
