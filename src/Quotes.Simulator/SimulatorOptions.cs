namespace Quotes.Simulator;

/// <summary>How the simulated market behaves. Bound from the <c>Simulator</c> configuration section.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Seed of every price path: the same symbol and seed always walk the same way.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Aggregates per second per subscribed symbol.</summary>
    public double EventsPerSecond { get; set; } = 1;

    /// <summary>
    /// Load-test mode: each aggregate's window (<c>s</c>, <c>e</c>) ends when its frame is written to the socket rather than
    /// when it was generated, so end-to-end latency measured from <c>e</c> is the server's own (see docs/PERFORMANCE.md).
    /// </summary>
    public bool StampSendTime { get; set; }

    /// <summary>Keys accepted by <c>auth</c> and the REST paths. Empty: any non-empty key is accepted.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>
    /// Polygon's one-connection-per-account rule: which connection goes when a second one of the same key authenticates.
    /// Off by default, so several connections of one key stream side by side as before. The starting value of
    /// <see cref="SimulatorFaults.ConnectionLimit"/>, which switches it at runtime.
    /// </summary>
    public ConnectionLimitMode ConnectionLimit { get; set; }

    /// <summary>
    /// Polygon's REST plan limit: requests past this many per second are answered 429 (0, the default: no limit). The
    /// starting value of <see cref="SimulatorFaults.RestRequestsPerSecond"/>, which switches it at runtime.
    /// </summary>
    public int RestRequestsPerSecond { get; set; }

    /// <summary>
    /// Says so in its <c>connected</c> status (<c>"simulated":true</c>), so that a server pointed at it reports the feed as
    /// <c>simulator</c> (on by default). Off only for tests where the simulator must pass for Polygon.
    /// </summary>
    public bool AnnounceSimulated { get; set; } = true;

    /// <summary>
    /// Forces the market state (<c>open</c>, <c>extended-hours</c> or <c>closed</c>) instead of the NYSE calendar, for demos
    /// and tests of the closed-market view. A server running this simulator embedded reports it as its <c>market</c> status;
    /// while <c>closed</c> nothing trades: no aggregates, only snapshots and previous closes over REST. Null (the default):
    /// the simulator trades around the clock; run embedded, its market is then <c>open</c> around the clock too, and run on
    /// its own, its market status follows the NYSE calendar as Polygon's does.
    /// </summary>
    public string? MarketState { get; set; }

    /// <summary>Maps the fault-injection and report endpoints under <c>/_sim</c>. Never on by default.</summary>
    public bool ControlEnabled { get; set; }

    internal bool Accepts(string? key) =>
        !string.IsNullOrEmpty(key) && (ApiKeys.Length == 0 || ApiKeys.Contains(key, StringComparer.Ordinal));
}
