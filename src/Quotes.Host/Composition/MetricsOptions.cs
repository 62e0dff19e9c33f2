namespace Quotes.Host.Composition;

/// <summary>The <c>Metrics</c> section: <see cref="Port"/>, a listener of its own serving <c>/metrics</c> only (see <see cref="MetricsSetup"/>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Unset: <c>/metrics</c> is on the main port behind the admin key.</summary>
    public int? Port { get; set; }

    public IEnumerable<string> Problems()
    {
        if (Port is < 1 or > 65535) yield return $"Metrics:Port must be a port between 1 and 65535; it is {Port}";
    }
}
